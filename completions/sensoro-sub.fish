# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_sensoro_sub_global_optspecs
    string join \n profile= config= app-id= app-secret= app-secret-file= app-key= host= port= tls cafile= insecure client-id= session= qos= mqtt-version= topic= keepalive= give-up-after= f/format= color= q/quiet v/verbose envelope o/output= no-sync no-dedupe sn= device-type= alarm= alarms-only exit-on-alarm n/count= timeout= duration= h/help V/version
end

function __fish_sensoro_sub_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_sensoro_sub_global_optspecs) -- $cmd 2>/dev/null
    or argparse -s (__fish_sensoro_sub_global_optspecs) -- $cmd[1..-2] 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_sensoro_sub_using_subcommand
    set -l cmd (__fish_sensoro_sub_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l profile -d 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]' -r -f -a "(sensoro-sub config profiles 2>/dev/null)"
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l config -d 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l app-id -d 'AppID from the SENSORO console (MQTT username; part of clientId and topic)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l app-secret -d 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l app-secret-file -d 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l app-key -d 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l host -d 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l port -d 'Broker port [default: 1883, or 8883 with TLS]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l cafile -d 'PEM file of the CA certificates that vouch for the broker, instead of the system\'s store; implies --tls' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l client-id -d 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l session -d 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile\'s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l qos -d 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l mqtt-version -d 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up' -r -f -a "auto\t''
3.1\t''
3.1.1\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l topic -d 'Topic to subscribe to [default: users/APPID/devices]. The vendor\'s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l keepalive -d 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l give-up-after -d 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -s f -l format -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored, readable line per push'
ndjson\t'One JSON object per line, exactly as the service sent it'
json\t'Indented JSON, colored on a terminal'
raw\t'Payload bytes as received, plus a newline'"
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l color -d 'When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -s o -l output -d 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l sn -d 'Only pushes from this device serial number (repeatable; case-insensitive)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l device-type -d 'Only pushes of this deviceType (repeatable)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l alarm -d 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY\'s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile\'s `alarms`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -s n -l count -d 'Exit 0 after printing N pushes' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l timeout -d 'Exit 5 if no push is printed for DUR (e.g. 30s, 5m)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l duration -d 'Exit 0 after DUR' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l tls -d 'Connect over TLS; the broker\'s certificate and host name are verified'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l insecure -d 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -s q -l quiet -d 'Less status on stderr (errors, undecodable pushes and hard warnings only)'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -s v -l verbose -d 'More status on stderr (MQTT details; full payloads of undecodable pushes)'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l envelope -d 'ndjson/json: wrap each push as {"topic","qos","retained","received_at","push","alarms"}'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l no-sync -d 'Do not sync the output file (--output, or stdout when it is a file) before acknowledging: faster, but a power cut can lose pushes the broker has already forgotten'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l no-dedupe -d 'Print QoS 1 redeliveries again. By default a push whose msgId is among the last 10,000 printed is dropped and counted as a duplicate'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l alarms-only -d 'Print only pushes with at least one alarm (the others count as filtered)'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -l exit-on-alarm -d 'Exit 6 after printing the first push with an alarm: run until something is wrong'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -s V -l version -d 'Print version'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -f -a "decode" -d 'Decode pushes stored as NDJSON (a webhook log, a saved stream) with the same decode, filter and print pipeline as the live subscriber'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -f -a "check" -d 'Check the set-up step by step: name lookup, TCP, MQTT login, subscription, and optionally one push. Uses a clean session with a fresh clientId, so it never takes pushes queued for --session'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -f -a "watch" -d 'Watch the fleet live: a full-screen table, one row per device (latest readings, battery, last seen, pushes), where alarms (the --alarm rules; by default leak, smoke, battery below 20 %, …) are red and silent devices are flagged. Like the subscriber, it takes the profile\'s session only when unfiltered (a viewer with --sn/--device-type uses a clean one). q quits'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -f -a "demo" -d 'Run a local stand-in for the SENSORO cloud and watch it: a simulated fleet, an embedded broker with the service\'s rules, and this tool subscribed to it (--watch: as a live table). Ctrl-C stops both'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -f -a "simulate" -d 'Run the stand-in for the SENSORO MQTT service alone, for other clients, jq pipelines and tests'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -f -a "session" -d 'Durable sessions the broker keeps for this AppID'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -f -a "config" -d 'Show the settings a command line resolves to (flags, environment, profile), secrets masked'
complete -c sensoro-sub -n "__fish_sensoro_sub_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -l app-id -d 'AppID the safe-mode pushes must be encrypted for [default: each push\'s own appId]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -l app-key -d 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -s f -l format -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored, readable line per push'
ndjson\t'One JSON object per line, exactly as the service sent it'
json\t'Indented JSON, colored on a terminal'
raw\t'Payload bytes as received, plus a newline'"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -l color -d 'When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -l sn -d 'Only pushes from this device serial number (repeatable; case-insensitive)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -l device-type -d 'Only pushes of this deviceType (repeatable)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -l alarm -d 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY\'s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile\'s `alarms`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -s n -l count -d 'Stop after printing N pushes' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -s q -l quiet -d 'Less status on stderr (errors, undecodable pushes and hard warnings only)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -s v -l verbose -d 'More status on stderr (MQTT details; full payloads of undecodable pushes)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -l alarms-only -d 'Print only pushes with at least one alarm (the others count as filtered)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -l exit-on-alarm -d 'Exit 6 after printing the first push with an alarm: run until something is wrong'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l profile -d 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]' -r -f -a "(sensoro-sub config profiles 2>/dev/null)"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l config -d 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l app-id -d 'AppID from the SENSORO console (MQTT username; part of clientId and topic)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l app-secret -d 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l app-secret-file -d 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l app-key -d 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l host -d 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l port -d 'Broker port [default: 1883, or 8883 with TLS]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l cafile -d 'PEM file of the CA certificates that vouch for the broker, instead of the system\'s store; implies --tls' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l client-id -d 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l session -d 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile\'s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l qos -d 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l mqtt-version -d 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up' -r -f -a "auto\t''
3.1\t''
3.1.1\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l topic -d 'Topic to subscribe to [default: users/APPID/devices]. The vendor\'s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l keepalive -d 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l give-up-after -d 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l timeout -d 'Also wait up to DUR for one push (exit 5 if none arrives)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l color -d 'When to color the report' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l tls -d 'Connect over TLS; the broker\'s certificate and host name are verified'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -l insecure -d 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand check" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l profile -d 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]' -r -f -a "(sensoro-sub config profiles 2>/dev/null)"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l config -d 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l app-id -d 'AppID from the SENSORO console (MQTT username; part of clientId and topic)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l app-secret -d 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l app-secret-file -d 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l app-key -d 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l host -d 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l port -d 'Broker port [default: 1883, or 8883 with TLS]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l cafile -d 'PEM file of the CA certificates that vouch for the broker, instead of the system\'s store; implies --tls' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l client-id -d 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l session -d 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile\'s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l qos -d 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l mqtt-version -d 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up' -r -f -a "auto\t''
3.1\t''
3.1.1\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l topic -d 'Topic to subscribe to [default: users/APPID/devices]. The vendor\'s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l keepalive -d 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l give-up-after -d 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l sn -d 'Only pushes from this device serial number (repeatable; case-insensitive)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l device-type -d 'Only pushes of this deviceType (repeatable)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l alarm -d 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY\'s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile\'s `alarms`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l color -d 'When to color the table (NO_COLOR in the environment means never, unless "always"); without colors, alarms and silent devices are shown in reverse video' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l tls -d 'Connect over TLS; the broker\'s certificate and host name are verified'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -l insecure -d 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand watch" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l devices -d 'Devices per AppID' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l rate -d 'Pushes per AppID, e.g. 5/s, 300/m, 0.5/s' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l seed -d 'Seed for a reproducible fleet and readings [default: random]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -s f -l format -d 'Output format [default: pretty on a terminal, ndjson otherwise]' -r -f -a "pretty\t'One colored, readable line per push'
ndjson\t'One JSON object per line, exactly as the service sent it'
json\t'Indented JSON, colored on a terminal'
raw\t'Payload bytes as received, plus a newline'"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l color -d 'When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -s o -l output -d 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l sn -d 'Only pushes from this device serial number (repeatable; case-insensitive)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l device-type -d 'Only pushes of this deviceType (repeatable)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l alarm -d 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY\'s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile\'s `alarms`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -s n -l count -d 'Exit 0 after printing N pushes' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l timeout -d 'Exit 5 if no push is printed for DUR (e.g. 30s, 5m)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l duration -d 'Exit 0 after DUR' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l safe-mode -d 'Safe mode: the stand-in encrypts pushes and the subscriber decrypts them with a throwaway AppKey'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l watch -d 'Show the simulated fleet as `watch` does: a live full-screen table instead of lines'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -s q -l quiet -d 'Less status on stderr (errors, undecodable pushes and hard warnings only)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -s v -l verbose -d 'More status on stderr (MQTT details; full payloads of undecodable pushes)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l envelope -d 'ndjson/json: wrap each push as {"topic","qos","retained","received_at","push","alarms"}'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l no-sync -d 'Do not sync the output file (--output, or stdout when it is a file) before acknowledging: faster, but a power cut can lose pushes the broker has already forgotten'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l no-dedupe -d 'Print QoS 1 redeliveries again. By default a push whose msgId is among the last 10,000 printed is dropped and counted as a duplicate'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l alarms-only -d 'Print only pushes with at least one alarm (the others count as filtered)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -l exit-on-alarm -d 'Exit 6 after printing the first push with an alarm: run until something is wrong'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l listen -d 'Address to listen on' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l app-id -d 'AppID of an account to serve (repeatable; paired in order with --app-secret)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l app-secret -d 'AppSecret of the account named by the --app-id in the same position' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l accounts -d 'File of accounts, one "APPID APPSECRET" per line (# comments)' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l app-key -d 'Encrypt pushes (safe mode) with this AppKey, for every account' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l devices -d 'Devices per AppID' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l rate -d 'Pushes per AppID, e.g. 5/s, 300/m, 0.5/s' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l seed -d 'Seed for a reproducible fleet and readings [default: random]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -s n -l count -d 'Stop publishing after N pushes per AppID (the broker keeps serving)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l control -d 'Listen on this Unix socket (mode 600) for `simulate publish|alarm|silence --control PATH`' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -l mqtt-3.1-only -d 'Behave as a 3.1-era broker: refuse MQTT 3.1.1 CONNECTs with CONNACK 1 (unacceptable protocol version), accept 3.1'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -s v -l verbose -d 'Log every login and subscription decision'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -f -a "publish" -d 'Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in (to the account named by --app-id, else the push\'s appId, else the first account)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -f -a "alarm" -d 'Raise an alarm on a simulated device: its next pushes are alarms, the first published at once'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -f -a "silence" -d 'Silence a simulated device (watch flags it silent after twice its interval)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and not __fish_seen_subcommand_from publish alarm silence help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from publish" -l control -d 'The running stand-in\'s control socket (its --control)' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from publish" -l app-id -d 'The account to publish to' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from publish" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from alarm" -l control -d 'The running stand-in\'s control socket (its --control)' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from alarm" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from silence" -l control -d 'The running stand-in\'s control socket (its --control)' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from silence" -l for -d 'For this long [default: until the stand-in stops]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from silence" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from help" -f -a "publish" -d 'Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in (to the account named by --app-id, else the push\'s appId, else the first account)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from help" -f -a "alarm" -d 'Raise an alarm on a simulated device: its next pushes are alarms, the first published at once'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from help" -f -a "silence" -d 'Silence a simulated device (watch flags it silent after twice its interval)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand simulate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and not __fish_seen_subcommand_from clear help" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and not __fish_seen_subcommand_from clear help" -f -a "clear" -d 'End a durable session that will not come back (a renamed instance, a finished experiment): connect once as APPID/NAME with a clean session, which makes the broker discard the session\'s subscription and every push it kept for it'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and not __fish_seen_subcommand_from clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l profile -d 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]' -r -f -a "(sensoro-sub config profiles 2>/dev/null)"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l config -d 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l app-id -d 'AppID from the SENSORO console (MQTT username; part of clientId and topic)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l app-secret -d 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l app-secret-file -d 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l app-key -d 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l host -d 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l port -d 'Broker port [default: 1883, or 8883 with TLS]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l cafile -d 'PEM file of the CA certificates that vouch for the broker, instead of the system\'s store; implies --tls' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l mqtt-version -d 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up' -r -f -a "auto\t''
3.1\t''
3.1.1\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l tls -d 'Connect over TLS; the broker\'s certificate and host name are verified'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -l insecure -d 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "clear" -d 'End a durable session that will not come back (a renamed instance, a finished experiment): connect once as APPID/NAME with a clean session, which makes the broker discard the session\'s subscription and every push it kept for it'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand completions" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and not __fish_seen_subcommand_from show profiles init help" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and not __fish_seen_subcommand_from show profiles init help" -f -a "show" -d 'Print the resolved settings and where each comes from'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and not __fish_seen_subcommand_from show profiles init help" -f -a "profiles" -d 'List the profile names in the config file, one per line (what shell completion offers for --profile)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and not __fish_seen_subcommand_from show profiles init help" -f -a "init" -d 'Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or questions on the terminal; the login is checked as `check` does, then the profile is written (mode 600). A login that fails writes nothing'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and not __fish_seen_subcommand_from show profiles init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]' -r -f -a "(sensoro-sub config profiles 2>/dev/null)"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l app-id -d 'AppID from the SENSORO console (MQTT username; part of clientId and topic)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l app-secret -d 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l app-secret-file -d 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l app-key -d 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l host -d 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l port -d 'Broker port [default: 1883, or 8883 with TLS]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l cafile -d 'PEM file of the CA certificates that vouch for the broker, instead of the system\'s store; implies --tls' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l client-id -d 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l session -d 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile\'s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l qos -d 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l mqtt-version -d 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up' -r -f -a "auto\t''
3.1\t''
3.1.1\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l topic -d 'Topic to subscribe to [default: users/APPID/devices]. The vendor\'s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l keepalive -d 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l give-up-after -d 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l tls -d 'Connect over TLS; the broker\'s certificate and host name are verified'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -l insecure -d 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from profiles" -l config -d 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from profiles" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l profile -d 'Name of the profile to write' -r -f -a "(sensoro-sub config profiles 2>/dev/null)"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l config -d 'Config file to put it in [default: ~/.config/sensoro-sub/config.toml]' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l app-id -d 'AppID from the SENSORO console [default: asked]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l app-secret -d 'AppSecret [default: asked, without echo]. Prefer the env var or --app-secret-file: flags are visible in `ps`' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l app-secret-file -d 'Read the AppSecret from this file (mode 600)' -r -F
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l app-key -d 'AppKey for safe mode [default: asked on a terminal; none otherwise]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l session -d 'Durable session name for a collector [default: asked on a terminal; none otherwise]' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l host -d 'Broker host, HOST:PORT or URL, for a broker other than the SENSORO cloud (e.g. `simulate`)' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l port -d 'Broker port, with --host' -r
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l color -d 'When to color the check\'s report' -r -f -a "auto\t''
always\t''
never\t''"
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Replace a profile of the same name'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -l no-check -d 'Write the profile without checking the login'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the resolved settings and where each comes from'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "profiles" -d 'List the profile names in the config file, one per line (what shell completion offers for --profile)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or questions on the terminal; the login is checked as `check` does, then the profile is written (mode 600). A login that fails writes nothing'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and not __fish_seen_subcommand_from decode check watch demo simulate session completions config help" -f -a "decode" -d 'Decode pushes stored as NDJSON (a webhook log, a saved stream) with the same decode, filter and print pipeline as the live subscriber'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and not __fish_seen_subcommand_from decode check watch demo simulate session completions config help" -f -a "check" -d 'Check the set-up step by step: name lookup, TCP, MQTT login, subscription, and optionally one push. Uses a clean session with a fresh clientId, so it never takes pushes queued for --session'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and not __fish_seen_subcommand_from decode check watch demo simulate session completions config help" -f -a "watch" -d 'Watch the fleet live: a full-screen table, one row per device (latest readings, battery, last seen, pushes), where alarms (the --alarm rules; by default leak, smoke, battery below 20 %, …) are red and silent devices are flagged. Like the subscriber, it takes the profile\'s session only when unfiltered (a viewer with --sn/--device-type uses a clean one). q quits'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and not __fish_seen_subcommand_from decode check watch demo simulate session completions config help" -f -a "demo" -d 'Run a local stand-in for the SENSORO cloud and watch it: a simulated fleet, an embedded broker with the service\'s rules, and this tool subscribed to it (--watch: as a live table). Ctrl-C stops both'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and not __fish_seen_subcommand_from decode check watch demo simulate session completions config help" -f -a "simulate" -d 'Run the stand-in for the SENSORO MQTT service alone, for other clients, jq pipelines and tests'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and not __fish_seen_subcommand_from decode check watch demo simulate session completions config help" -f -a "session" -d 'Durable sessions the broker keeps for this AppID'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and not __fish_seen_subcommand_from decode check watch demo simulate session completions config help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and not __fish_seen_subcommand_from decode check watch demo simulate session completions config help" -f -a "config" -d 'Show the settings a command line resolves to (flags, environment, profile), secrets masked'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and not __fish_seen_subcommand_from decode check watch demo simulate session completions config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and __fish_seen_subcommand_from simulate" -f -a "publish" -d 'Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in (to the account named by --app-id, else the push\'s appId, else the first account)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and __fish_seen_subcommand_from simulate" -f -a "alarm" -d 'Raise an alarm on a simulated device: its next pushes are alarms, the first published at once'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and __fish_seen_subcommand_from simulate" -f -a "silence" -d 'Silence a simulated device (watch flags it silent after twice its interval)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "clear" -d 'End a durable session that will not come back (a renamed instance, a finished experiment): connect once as APPID/NAME with a clean session, which makes the broker discard the session\'s subscription and every push it kept for it'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print the resolved settings and where each comes from'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "profiles" -d 'List the profile names in the config file, one per line (what shell completion offers for --profile)'
complete -c sensoro-sub -n "__fish_sensoro_sub_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or questions on the terminal; the login is checked as `check` does, then the profile is written (mode 600). A login that fails writes nothing'
