
use builtin;
use str;

set edit:completion:arg-completer[sensoro-sub] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'sensoro-sub'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'sensoro-sub'= {
            cand --profile 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]'
            cand --config 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]'
            cand --app-id 'AppID from the SENSORO console (MQTT username; part of clientId and topic)'
            cand --app-secret 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`'
            cand --app-secret-file 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET'
            cand --app-key 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)'
            cand --host 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]'
            cand --port 'Broker port [default: 1883, or 8883 with TLS]'
            cand --cafile 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls'
            cand --client-id 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]'
            cand --session 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile''s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type'
            cand --qos 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2'
            cand --mqtt-version 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up'
            cand --topic 'Topic to subscribe to [default: users/APPID/devices]. The vendor''s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample'
            cand --keepalive 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)'
            cand --give-up-after 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]'
            cand -f 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --format 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")'
            cand -o 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)'
            cand --output 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)'
            cand --sn 'Only pushes from this device serial number (repeatable; case-insensitive)'
            cand --device-type 'Only pushes of this deviceType (repeatable)'
            cand --alarm 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY''s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile''s `alarms`'
            cand -n 'Exit 0 after printing N pushes'
            cand --count 'Exit 0 after printing N pushes'
            cand --timeout 'Exit 5 if no push is printed for DUR (e.g. 30s, 5m)'
            cand --duration 'Exit 0 after DUR'
            cand --tls 'Connect over TLS; the broker''s certificate and host name are verified'
            cand --insecure 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
            cand -q 'Less status on stderr (errors, undecodable pushes and hard warnings only)'
            cand --quiet 'Less status on stderr (errors, undecodable pushes and hard warnings only)'
            cand -v 'More status on stderr (MQTT details; full payloads of undecodable pushes)'
            cand --verbose 'More status on stderr (MQTT details; full payloads of undecodable pushes)'
            cand --envelope 'ndjson/json: wrap each push as {"topic","qos","retained","received_at","push","alarms"}'
            cand --no-sync 'Do not sync the output file (--output, or stdout when it is a file) before acknowledging: faster, but a power cut can lose pushes the broker has already forgotten'
            cand --no-dedupe 'Print QoS 1 redeliveries again. By default a push whose msgId is among the last 10,000 printed is dropped and counted as a duplicate'
            cand --alarms-only 'Print only pushes with at least one alarm (the others count as filtered)'
            cand --exit-on-alarm 'Exit 6 after printing the first push with an alarm: run until something is wrong'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand decode 'Decode pushes stored as NDJSON (a webhook log, a saved stream) with the same decode, filter and print pipeline as the live subscriber'
            cand check 'Check the set-up step by step: name lookup, TCP, MQTT login, subscription, and optionally one push. Uses a clean session with a fresh clientId, so it never takes pushes queued for --session'
            cand watch 'Watch the fleet live: a full-screen table, one row per device (latest readings, battery, last seen, pushes), where alarms (the --alarm rules; by default leak, smoke, battery below 20 %, …) are red and silent devices are flagged. Like the subscriber, it takes the profile''s session only when unfiltered (a viewer with --sn/--device-type uses a clean one). q quits'
            cand demo 'Run a local stand-in for the SENSORO cloud and watch it: a simulated fleet, an embedded broker with the service''s rules, and this tool subscribed to it (--watch: as a live table). Ctrl-C stops both'
            cand simulate 'Run the stand-in for the SENSORO MQTT service alone, for other clients, jq pipelines and tests'
            cand session 'Durable sessions the broker keeps for this AppID'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand config 'Show the settings a command line resolves to (flags, environment, profile), secrets masked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sensoro-sub;decode'= {
            cand --app-id 'AppID the safe-mode pushes must be encrypted for [default: each push''s own appId]'
            cand --app-key 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)'
            cand -f 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --format 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")'
            cand --sn 'Only pushes from this device serial number (repeatable; case-insensitive)'
            cand --device-type 'Only pushes of this deviceType (repeatable)'
            cand --alarm 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY''s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile''s `alarms`'
            cand -n 'Stop after printing N pushes'
            cand --count 'Stop after printing N pushes'
            cand -q 'Less status on stderr (errors, undecodable pushes and hard warnings only)'
            cand --quiet 'Less status on stderr (errors, undecodable pushes and hard warnings only)'
            cand -v 'More status on stderr (MQTT details; full payloads of undecodable pushes)'
            cand --verbose 'More status on stderr (MQTT details; full payloads of undecodable pushes)'
            cand --alarms-only 'Print only pushes with at least one alarm (the others count as filtered)'
            cand --exit-on-alarm 'Exit 6 after printing the first push with an alarm: run until something is wrong'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sensoro-sub;check'= {
            cand --profile 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]'
            cand --config 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]'
            cand --app-id 'AppID from the SENSORO console (MQTT username; part of clientId and topic)'
            cand --app-secret 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`'
            cand --app-secret-file 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET'
            cand --app-key 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)'
            cand --host 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]'
            cand --port 'Broker port [default: 1883, or 8883 with TLS]'
            cand --cafile 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls'
            cand --client-id 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]'
            cand --session 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile''s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type'
            cand --qos 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2'
            cand --mqtt-version 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up'
            cand --topic 'Topic to subscribe to [default: users/APPID/devices]. The vendor''s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample'
            cand --keepalive 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)'
            cand --give-up-after 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]'
            cand --timeout 'Also wait up to DUR for one push (exit 5 if none arrives)'
            cand --color 'When to color the report'
            cand --tls 'Connect over TLS; the broker''s certificate and host name are verified'
            cand --insecure 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;watch'= {
            cand --profile 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]'
            cand --config 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]'
            cand --app-id 'AppID from the SENSORO console (MQTT username; part of clientId and topic)'
            cand --app-secret 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`'
            cand --app-secret-file 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET'
            cand --app-key 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)'
            cand --host 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]'
            cand --port 'Broker port [default: 1883, or 8883 with TLS]'
            cand --cafile 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls'
            cand --client-id 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]'
            cand --session 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile''s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type'
            cand --qos 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2'
            cand --mqtt-version 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up'
            cand --topic 'Topic to subscribe to [default: users/APPID/devices]. The vendor''s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample'
            cand --keepalive 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)'
            cand --give-up-after 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]'
            cand --sn 'Only pushes from this device serial number (repeatable; case-insensitive)'
            cand --device-type 'Only pushes of this deviceType (repeatable)'
            cand --alarm 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY''s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile''s `alarms`'
            cand --color 'When to color the table (NO_COLOR in the environment means never, unless "always"); without colors, alarms and silent devices are shown in reverse video'
            cand --tls 'Connect over TLS; the broker''s certificate and host name are verified'
            cand --insecure 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;demo'= {
            cand --devices 'Devices per AppID'
            cand --rate 'Pushes per AppID, e.g. 5/s, 300/m, 0.5/s'
            cand --seed 'Seed for a reproducible fleet and readings [default: random]'
            cand -f 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --format 'Output format [default: pretty on a terminal, ndjson otherwise]'
            cand --color 'When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")'
            cand -o 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)'
            cand --output 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)'
            cand --sn 'Only pushes from this device serial number (repeatable; case-insensitive)'
            cand --device-type 'Only pushes of this deviceType (repeatable)'
            cand --alarm 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY''s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile''s `alarms`'
            cand -n 'Exit 0 after printing N pushes'
            cand --count 'Exit 0 after printing N pushes'
            cand --timeout 'Exit 5 if no push is printed for DUR (e.g. 30s, 5m)'
            cand --duration 'Exit 0 after DUR'
            cand --safe-mode 'Safe mode: the stand-in encrypts pushes and the subscriber decrypts them with a throwaway AppKey'
            cand --watch 'Show the simulated fleet as `watch` does: a live full-screen table instead of lines'
            cand -q 'Less status on stderr (errors, undecodable pushes and hard warnings only)'
            cand --quiet 'Less status on stderr (errors, undecodable pushes and hard warnings only)'
            cand -v 'More status on stderr (MQTT details; full payloads of undecodable pushes)'
            cand --verbose 'More status on stderr (MQTT details; full payloads of undecodable pushes)'
            cand --envelope 'ndjson/json: wrap each push as {"topic","qos","retained","received_at","push","alarms"}'
            cand --no-sync 'Do not sync the output file (--output, or stdout when it is a file) before acknowledging: faster, but a power cut can lose pushes the broker has already forgotten'
            cand --no-dedupe 'Print QoS 1 redeliveries again. By default a push whose msgId is among the last 10,000 printed is dropped and counted as a duplicate'
            cand --alarms-only 'Print only pushes with at least one alarm (the others count as filtered)'
            cand --exit-on-alarm 'Exit 6 after printing the first push with an alarm: run until something is wrong'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'sensoro-sub;simulate'= {
            cand --listen 'Address to listen on'
            cand --app-id 'AppID of an account to serve (repeatable; paired in order with --app-secret)'
            cand --app-secret 'AppSecret of the account named by the --app-id in the same position'
            cand --accounts 'File of accounts, one "APPID APPSECRET" per line (# comments)'
            cand --app-key 'Encrypt pushes (safe mode) with this AppKey, for every account'
            cand --devices 'Devices per AppID'
            cand --rate 'Pushes per AppID, e.g. 5/s, 300/m, 0.5/s'
            cand --seed 'Seed for a reproducible fleet and readings [default: random]'
            cand -n 'Stop publishing after N pushes per AppID (the broker keeps serving)'
            cand --count 'Stop publishing after N pushes per AppID (the broker keeps serving)'
            cand --control 'Listen on this Unix socket (mode 600) for `simulate publish|alarm|silence --control PATH`'
            cand --mqtt-3.1-only 'Behave as a 3.1-era broker: refuse MQTT 3.1.1 CONNECTs with CONNACK 1 (unacceptable protocol version), accept 3.1'
            cand -v 'Log every login and subscription decision'
            cand --verbose 'Log every login and subscription decision'
            cand -h 'Print help'
            cand --help 'Print help'
            cand publish 'Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in (to the account named by --app-id, else the push''s appId, else the first account)'
            cand alarm 'Raise an alarm on a simulated device: its next pushes are alarms, the first published at once'
            cand silence 'Silence a simulated device (watch flags it silent after twice its interval)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sensoro-sub;simulate;publish'= {
            cand --control 'The running stand-in''s control socket (its --control)'
            cand --app-id 'The account to publish to'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;simulate;alarm'= {
            cand --control 'The running stand-in''s control socket (its --control)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;simulate;silence'= {
            cand --control 'The running stand-in''s control socket (its --control)'
            cand --for 'For this long [default: until the stand-in stops]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;simulate;help'= {
            cand publish 'Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in (to the account named by --app-id, else the push''s appId, else the first account)'
            cand alarm 'Raise an alarm on a simulated device: its next pushes are alarms, the first published at once'
            cand silence 'Silence a simulated device (watch flags it silent after twice its interval)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sensoro-sub;simulate;help;publish'= {
        }
        &'sensoro-sub;simulate;help;alarm'= {
        }
        &'sensoro-sub;simulate;help;silence'= {
        }
        &'sensoro-sub;simulate;help;help'= {
        }
        &'sensoro-sub;session'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand clear 'End a durable session that will not come back (a renamed instance, a finished experiment): connect once as APPID/NAME with a clean session, which makes the broker discard the session''s subscription and every push it kept for it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sensoro-sub;session;clear'= {
            cand --profile 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]'
            cand --config 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]'
            cand --app-id 'AppID from the SENSORO console (MQTT username; part of clientId and topic)'
            cand --app-secret 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`'
            cand --app-secret-file 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET'
            cand --app-key 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)'
            cand --host 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]'
            cand --port 'Broker port [default: 1883, or 8883 with TLS]'
            cand --cafile 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls'
            cand --mqtt-version 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up'
            cand --tls 'Connect over TLS; the broker''s certificate and host name are verified'
            cand --insecure 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;session;help'= {
            cand clear 'End a durable session that will not come back (a renamed instance, a finished experiment): connect once as APPID/NAME with a clean session, which makes the broker discard the session''s subscription and every push it kept for it'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sensoro-sub;session;help;clear'= {
        }
        &'sensoro-sub;session;help;help'= {
        }
        &'sensoro-sub;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;config'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand show 'Print the resolved settings and where each comes from'
            cand profiles 'List the profile names in the config file, one per line (what shell completion offers for --profile)'
            cand init 'Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or questions on the terminal; the login is checked as `check` does, then the profile is written (mode 600). A login that fails writes nothing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sensoro-sub;config;show'= {
            cand --profile 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]'
            cand --config 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]'
            cand --app-id 'AppID from the SENSORO console (MQTT username; part of clientId and topic)'
            cand --app-secret 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`'
            cand --app-secret-file 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET'
            cand --app-key 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)'
            cand --host 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]'
            cand --port 'Broker port [default: 1883, or 8883 with TLS]'
            cand --cafile 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls'
            cand --client-id 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]'
            cand --session 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile''s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type'
            cand --qos 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2'
            cand --mqtt-version 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up'
            cand --topic 'Topic to subscribe to [default: users/APPID/devices]. The vendor''s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample'
            cand --keepalive 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)'
            cand --give-up-after 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]'
            cand --tls 'Connect over TLS; the broker''s certificate and host name are verified'
            cand --insecure 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;config;profiles'= {
            cand --config 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;config;init'= {
            cand --profile 'Name of the profile to write'
            cand --config 'Config file to put it in [default: ~/.config/sensoro-sub/config.toml]'
            cand --app-id 'AppID from the SENSORO console [default: asked]'
            cand --app-secret 'AppSecret [default: asked, without echo]. Prefer the env var or --app-secret-file: flags are visible in `ps`'
            cand --app-secret-file 'Read the AppSecret from this file (mode 600)'
            cand --app-key 'AppKey for safe mode [default: asked on a terminal; none otherwise]'
            cand --session 'Durable session name for a collector [default: asked on a terminal; none otherwise]'
            cand --host 'Broker host, HOST:PORT or URL, for a broker other than the SENSORO cloud (e.g. `simulate`)'
            cand --port 'Broker port, with --host'
            cand --color 'When to color the check''s report'
            cand --force 'Replace a profile of the same name'
            cand --no-check 'Write the profile without checking the login'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'sensoro-sub;config;help'= {
            cand show 'Print the resolved settings and where each comes from'
            cand profiles 'List the profile names in the config file, one per line (what shell completion offers for --profile)'
            cand init 'Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or questions on the terminal; the login is checked as `check` does, then the profile is written (mode 600). A login that fails writes nothing'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sensoro-sub;config;help;show'= {
        }
        &'sensoro-sub;config;help;profiles'= {
        }
        &'sensoro-sub;config;help;init'= {
        }
        &'sensoro-sub;config;help;help'= {
        }
        &'sensoro-sub;help'= {
            cand decode 'Decode pushes stored as NDJSON (a webhook log, a saved stream) with the same decode, filter and print pipeline as the live subscriber'
            cand check 'Check the set-up step by step: name lookup, TCP, MQTT login, subscription, and optionally one push. Uses a clean session with a fresh clientId, so it never takes pushes queued for --session'
            cand watch 'Watch the fleet live: a full-screen table, one row per device (latest readings, battery, last seen, pushes), where alarms (the --alarm rules; by default leak, smoke, battery below 20 %, …) are red and silent devices are flagged. Like the subscriber, it takes the profile''s session only when unfiltered (a viewer with --sn/--device-type uses a clean one). q quits'
            cand demo 'Run a local stand-in for the SENSORO cloud and watch it: a simulated fleet, an embedded broker with the service''s rules, and this tool subscribed to it (--watch: as a live table). Ctrl-C stops both'
            cand simulate 'Run the stand-in for the SENSORO MQTT service alone, for other clients, jq pipelines and tests'
            cand session 'Durable sessions the broker keeps for this AppID'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand config 'Show the settings a command line resolves to (flags, environment, profile), secrets masked'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'sensoro-sub;help;decode'= {
        }
        &'sensoro-sub;help;check'= {
        }
        &'sensoro-sub;help;watch'= {
        }
        &'sensoro-sub;help;demo'= {
        }
        &'sensoro-sub;help;simulate'= {
            cand publish 'Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in (to the account named by --app-id, else the push''s appId, else the first account)'
            cand alarm 'Raise an alarm on a simulated device: its next pushes are alarms, the first published at once'
            cand silence 'Silence a simulated device (watch flags it silent after twice its interval)'
        }
        &'sensoro-sub;help;simulate;publish'= {
        }
        &'sensoro-sub;help;simulate;alarm'= {
        }
        &'sensoro-sub;help;simulate;silence'= {
        }
        &'sensoro-sub;help;session'= {
            cand clear 'End a durable session that will not come back (a renamed instance, a finished experiment): connect once as APPID/NAME with a clean session, which makes the broker discard the session''s subscription and every push it kept for it'
        }
        &'sensoro-sub;help;session;clear'= {
        }
        &'sensoro-sub;help;completions'= {
        }
        &'sensoro-sub;help;config'= {
            cand show 'Print the resolved settings and where each comes from'
            cand profiles 'List the profile names in the config file, one per line (what shell completion offers for --profile)'
            cand init 'Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or questions on the terminal; the login is checked as `check` does, then the profile is written (mode 600). A login that fails writes nothing'
        }
        &'sensoro-sub;help;config;show'= {
        }
        &'sensoro-sub;help;config;profiles'= {
        }
        &'sensoro-sub;help;config;init'= {
        }
        &'sensoro-sub;help;help'= {
        }
    ]
    $completions[$command]
}
