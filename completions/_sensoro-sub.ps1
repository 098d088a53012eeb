
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'sensoro-sub' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'sensoro-sub'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'sensoro-sub' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]')
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'AppID from the SENSORO console (MQTT username; part of clientId and topic)')
            [CompletionResult]::new('--app-secret', '--app-secret', [CompletionResultType]::ParameterName, 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`')
            [CompletionResult]::new('--app-secret-file', '--app-secret-file', [CompletionResultType]::ParameterName, 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Broker port [default: 1883, or 8883 with TLS]')
            [CompletionResult]::new('--cafile', '--cafile', [CompletionResultType]::ParameterName, 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile''s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type')
            [CompletionResult]::new('--qos', '--qos', [CompletionResultType]::ParameterName, 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2')
            [CompletionResult]::new('--mqtt-version', '--mqtt-version', [CompletionResultType]::ParameterName, 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to subscribe to [default: users/APPID/devices]. The vendor''s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)')
            [CompletionResult]::new('--give-up-after', '--give-up-after', [CompletionResultType]::ParameterName, 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)')
            [CompletionResult]::new('--sn', '--sn', [CompletionResultType]::ParameterName, 'Only pushes from this device serial number (repeatable; case-insensitive)')
            [CompletionResult]::new('--device-type', '--device-type', [CompletionResultType]::ParameterName, 'Only pushes of this deviceType (repeatable)')
            [CompletionResult]::new('--alarm', '--alarm', [CompletionResultType]::ParameterName, 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY''s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile''s `alarms`')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Exit 0 after printing N pushes')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit 0 after printing N pushes')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Exit 5 if no push is printed for DUR (e.g. 30s, 5m)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Exit 0 after DUR')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect over TLS; the broker''s certificate and host name are verified')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less status on stderr (errors, undecodable pushes and hard warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less status on stderr (errors, undecodable pushes and hard warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More status on stderr (MQTT details; full payloads of undecodable pushes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More status on stderr (MQTT details; full payloads of undecodable pushes)')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'ndjson/json: wrap each push as {"topic","qos","retained","received_at","push","alarms"}')
            [CompletionResult]::new('--no-sync', '--no-sync', [CompletionResultType]::ParameterName, 'Do not sync the output file (--output, or stdout when it is a file) before acknowledging: faster, but a power cut can lose pushes the broker has already forgotten')
            [CompletionResult]::new('--no-dedupe', '--no-dedupe', [CompletionResultType]::ParameterName, 'Print QoS 1 redeliveries again. By default a push whose msgId is among the last 10,000 printed is dropped and counted as a duplicate')
            [CompletionResult]::new('--alarms-only', '--alarms-only', [CompletionResultType]::ParameterName, 'Print only pushes with at least one alarm (the others count as filtered)')
            [CompletionResult]::new('--exit-on-alarm', '--exit-on-alarm', [CompletionResultType]::ParameterName, 'Exit 6 after printing the first push with an alarm: run until something is wrong')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode pushes stored as NDJSON (a webhook log, a saved stream) with the same decode, filter and print pipeline as the live subscriber')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the set-up step by step: name lookup, TCP, MQTT login, subscription, and optionally one push. Uses a clean session with a fresh clientId, so it never takes pushes queued for --session')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Watch the fleet live: a full-screen table, one row per device (latest readings, battery, last seen, pushes), where alarms (the --alarm rules; by default leak, smoke, battery below 20 %, …) are red and silent devices are flagged. Like the subscriber, it takes the profile''s session only when unfiltered (a viewer with --sn/--device-type uses a clean one). q quits')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run a local stand-in for the SENSORO cloud and watch it: a simulated fleet, an embedded broker with the service''s rules, and this tool subscribed to it (--watch: as a live table). Ctrl-C stops both')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Run the stand-in for the SENSORO MQTT service alone, for other clients, jq pipelines and tests')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Durable sessions the broker keeps for this AppID')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the settings a command line resolves to (flags, environment, profile), secrets masked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sensoro-sub;decode' {
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'AppID the safe-mode pushes must be encrypted for [default: each push''s own appId]')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")')
            [CompletionResult]::new('--sn', '--sn', [CompletionResultType]::ParameterName, 'Only pushes from this device serial number (repeatable; case-insensitive)')
            [CompletionResult]::new('--device-type', '--device-type', [CompletionResultType]::ParameterName, 'Only pushes of this deviceType (repeatable)')
            [CompletionResult]::new('--alarm', '--alarm', [CompletionResultType]::ParameterName, 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY''s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile''s `alarms`')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop after printing N pushes')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after printing N pushes')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less status on stderr (errors, undecodable pushes and hard warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less status on stderr (errors, undecodable pushes and hard warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More status on stderr (MQTT details; full payloads of undecodable pushes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More status on stderr (MQTT details; full payloads of undecodable pushes)')
            [CompletionResult]::new('--alarms-only', '--alarms-only', [CompletionResultType]::ParameterName, 'Print only pushes with at least one alarm (the others count as filtered)')
            [CompletionResult]::new('--exit-on-alarm', '--exit-on-alarm', [CompletionResultType]::ParameterName, 'Exit 6 after printing the first push with an alarm: run until something is wrong')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sensoro-sub;check' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]')
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'AppID from the SENSORO console (MQTT username; part of clientId and topic)')
            [CompletionResult]::new('--app-secret', '--app-secret', [CompletionResultType]::ParameterName, 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`')
            [CompletionResult]::new('--app-secret-file', '--app-secret-file', [CompletionResultType]::ParameterName, 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Broker port [default: 1883, or 8883 with TLS]')
            [CompletionResult]::new('--cafile', '--cafile', [CompletionResultType]::ParameterName, 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile''s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type')
            [CompletionResult]::new('--qos', '--qos', [CompletionResultType]::ParameterName, 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2')
            [CompletionResult]::new('--mqtt-version', '--mqtt-version', [CompletionResultType]::ParameterName, 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to subscribe to [default: users/APPID/devices]. The vendor''s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)')
            [CompletionResult]::new('--give-up-after', '--give-up-after', [CompletionResultType]::ParameterName, 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Also wait up to DUR for one push (exit 5 if none arrives)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the report')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect over TLS; the broker''s certificate and host name are verified')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;watch' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]')
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'AppID from the SENSORO console (MQTT username; part of clientId and topic)')
            [CompletionResult]::new('--app-secret', '--app-secret', [CompletionResultType]::ParameterName, 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`')
            [CompletionResult]::new('--app-secret-file', '--app-secret-file', [CompletionResultType]::ParameterName, 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Broker port [default: 1883, or 8883 with TLS]')
            [CompletionResult]::new('--cafile', '--cafile', [CompletionResultType]::ParameterName, 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile''s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type')
            [CompletionResult]::new('--qos', '--qos', [CompletionResultType]::ParameterName, 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2')
            [CompletionResult]::new('--mqtt-version', '--mqtt-version', [CompletionResultType]::ParameterName, 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to subscribe to [default: users/APPID/devices]. The vendor''s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)')
            [CompletionResult]::new('--give-up-after', '--give-up-after', [CompletionResultType]::ParameterName, 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]')
            [CompletionResult]::new('--sn', '--sn', [CompletionResultType]::ParameterName, 'Only pushes from this device serial number (repeatable; case-insensitive)')
            [CompletionResult]::new('--device-type', '--device-type', [CompletionResultType]::ParameterName, 'Only pushes of this deviceType (repeatable)')
            [CompletionResult]::new('--alarm', '--alarm', [CompletionResultType]::ParameterName, 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY''s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile''s `alarms`')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the table (NO_COLOR in the environment means never, unless "always"); without colors, alarms and silent devices are shown in reverse video')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect over TLS; the broker''s certificate and host name are verified')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;demo' {
            [CompletionResult]::new('--devices', '--devices', [CompletionResultType]::ParameterName, 'Devices per AppID')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Pushes per AppID, e.g. 5/s, 300/m, 0.5/s')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for a reproducible fleet and readings [default: random]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: pretty on a terminal, ndjson otherwise]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color stdout and stderr (NO_COLOR in the environment means never, unless "always")')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Append the lines to PATH instead of stdout (created with mode 600 if missing), synced before a durable session acknowledges them; SIGHUP opens PATH anew (logrotate: rename, then HUP)')
            [CompletionResult]::new('--sn', '--sn', [CompletionResultType]::ParameterName, 'Only pushes from this device serial number (repeatable; case-insensitive)')
            [CompletionResult]::new('--device-type', '--device-type', [CompletionResultType]::ParameterName, 'Only pushes of this deviceType (repeatable)')
            [CompletionResult]::new('--alarm', '--alarm', [CompletionResultType]::ParameterName, 'Alarm rule (repeatable): KEY (true or not 0), KEY>N, KEY>=N, KEY<N, KEY<=N, KEY==V, KEY!=V; -KEY drops KEY''s default rules, none drops them all. Added to the defaults (leak, smoke and the other detectors, battery<20, temperature>50, ch4>=1000); a rule on a reading replaces its defaults. Given, it is used instead of a profile''s `alarms`')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Exit 0 after printing N pushes')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Exit 0 after printing N pushes')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Exit 5 if no push is printed for DUR (e.g. 30s, 5m)')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Exit 0 after DUR')
            [CompletionResult]::new('--safe-mode', '--safe-mode', [CompletionResultType]::ParameterName, 'Safe mode: the stand-in encrypts pushes and the subscriber decrypts them with a throwaway AppKey')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Show the simulated fleet as `watch` does: a live full-screen table instead of lines')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Less status on stderr (errors, undecodable pushes and hard warnings only)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Less status on stderr (errors, undecodable pushes and hard warnings only)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More status on stderr (MQTT details; full payloads of undecodable pushes)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More status on stderr (MQTT details; full payloads of undecodable pushes)')
            [CompletionResult]::new('--envelope', '--envelope', [CompletionResultType]::ParameterName, 'ndjson/json: wrap each push as {"topic","qos","retained","received_at","push","alarms"}')
            [CompletionResult]::new('--no-sync', '--no-sync', [CompletionResultType]::ParameterName, 'Do not sync the output file (--output, or stdout when it is a file) before acknowledging: faster, but a power cut can lose pushes the broker has already forgotten')
            [CompletionResult]::new('--no-dedupe', '--no-dedupe', [CompletionResultType]::ParameterName, 'Print QoS 1 redeliveries again. By default a push whose msgId is among the last 10,000 printed is dropped and counted as a duplicate')
            [CompletionResult]::new('--alarms-only', '--alarms-only', [CompletionResultType]::ParameterName, 'Print only pushes with at least one alarm (the others count as filtered)')
            [CompletionResult]::new('--exit-on-alarm', '--exit-on-alarm', [CompletionResultType]::ParameterName, 'Exit 6 after printing the first push with an alarm: run until something is wrong')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'sensoro-sub;simulate' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on')
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'AppID of an account to serve (repeatable; paired in order with --app-secret)')
            [CompletionResult]::new('--app-secret', '--app-secret', [CompletionResultType]::ParameterName, 'AppSecret of the account named by the --app-id in the same position')
            [CompletionResult]::new('--accounts', '--accounts', [CompletionResultType]::ParameterName, 'File of accounts, one "APPID APPSECRET" per line (# comments)')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'Encrypt pushes (safe mode) with this AppKey, for every account')
            [CompletionResult]::new('--devices', '--devices', [CompletionResultType]::ParameterName, 'Devices per AppID')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Pushes per AppID, e.g. 5/s, 300/m, 0.5/s')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for a reproducible fleet and readings [default: random]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Stop publishing after N pushes per AppID (the broker keeps serving)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop publishing after N pushes per AppID (the broker keeps serving)')
            [CompletionResult]::new('--control', '--control', [CompletionResultType]::ParameterName, 'Listen on this Unix socket (mode 600) for `simulate publish|alarm|silence --control PATH`')
            [CompletionResult]::new('--mqtt-3.1-only', '--mqtt-3.1-only', [CompletionResultType]::ParameterName, 'Behave as a 3.1-era broker: refuse MQTT 3.1.1 CONNECTs with CONNACK 1 (unacceptable protocol version), accept 3.1')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log every login and subscription decision')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log every login and subscription decision')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in (to the account named by --app-id, else the push''s appId, else the first account)')
            [CompletionResult]::new('alarm', 'alarm', [CompletionResultType]::ParameterValue, 'Raise an alarm on a simulated device: its next pushes are alarms, the first published at once')
            [CompletionResult]::new('silence', 'silence', [CompletionResultType]::ParameterValue, 'Silence a simulated device (watch flags it silent after twice its interval)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sensoro-sub;simulate;publish' {
            [CompletionResult]::new('--control', '--control', [CompletionResultType]::ParameterName, 'The running stand-in''s control socket (its --control)')
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'The account to publish to')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;simulate;alarm' {
            [CompletionResult]::new('--control', '--control', [CompletionResultType]::ParameterName, 'The running stand-in''s control socket (its --control)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;simulate;silence' {
            [CompletionResult]::new('--control', '--control', [CompletionResultType]::ParameterName, 'The running stand-in''s control socket (its --control)')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'For this long [default: until the stand-in stops]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;simulate;help' {
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in (to the account named by --app-id, else the push''s appId, else the first account)')
            [CompletionResult]::new('alarm', 'alarm', [CompletionResultType]::ParameterValue, 'Raise an alarm on a simulated device: its next pushes are alarms, the first published at once')
            [CompletionResult]::new('silence', 'silence', [CompletionResultType]::ParameterValue, 'Silence a simulated device (watch flags it silent after twice its interval)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sensoro-sub;simulate;help;publish' {
            break
        }
        'sensoro-sub;simulate;help;alarm' {
            break
        }
        'sensoro-sub;simulate;help;silence' {
            break
        }
        'sensoro-sub;simulate;help;help' {
            break
        }
        'sensoro-sub;session' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'End a durable session that will not come back (a renamed instance, a finished experiment): connect once as APPID/NAME with a clean session, which makes the broker discard the session''s subscription and every push it kept for it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sensoro-sub;session;clear' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]')
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'AppID from the SENSORO console (MQTT username; part of clientId and topic)')
            [CompletionResult]::new('--app-secret', '--app-secret', [CompletionResultType]::ParameterName, 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`')
            [CompletionResult]::new('--app-secret-file', '--app-secret-file', [CompletionResultType]::ParameterName, 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Broker port [default: 1883, or 8883 with TLS]')
            [CompletionResult]::new('--cafile', '--cafile', [CompletionResultType]::ParameterName, 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls')
            [CompletionResult]::new('--mqtt-version', '--mqtt-version', [CompletionResultType]::ParameterName, 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect over TLS; the broker''s certificate and host name are verified')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;session;help' {
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'End a durable session that will not come back (a renamed instance, a finished experiment): connect once as APPID/NAME with a clean session, which makes the broker discard the session''s subscription and every push it kept for it')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sensoro-sub;session;help;clear' {
            break
        }
        'sensoro-sub;session;help;help' {
            break
        }
        'sensoro-sub;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;config' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the resolved settings and where each comes from')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the profile names in the config file, one per line (what shell completion offers for --profile)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or questions on the terminal; the login is checked as `check` does, then the profile is written (mode 600). A login that fails writes nothing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sensoro-sub;config;show' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Read AppID, AppSecret, AppKey, host, port, tls, cafile, session and alarms from this profile of the config file; flags and environment variables override it [default: the profile "default", if any]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]')
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'AppID from the SENSORO console (MQTT username; part of clientId and topic)')
            [CompletionResult]::new('--app-secret', '--app-secret', [CompletionResultType]::ParameterName, 'AppSecret (MQTT password). Prefer the env var, --app-secret-file or a profile: flags are visible in `ps`')
            [CompletionResult]::new('--app-secret-file', '--app-secret-file', [CompletionResultType]::ParameterName, 'Read the AppSecret from this file (trailing newline ignored); wins over SENSORO_APP_SECRET')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'AppKey (43 characters) to decrypt safe-mode pushes (`encryptData`)')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Broker host, HOST:PORT, or a URL: mqtt://HOST[:PORT], or mqtts://HOST[:PORT] for TLS [default: iot.sensoro.com]')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Broker port [default: 1883, or 8883 with TLS]')
            [CompletionResult]::new('--cafile', '--cafile', [CompletionResultType]::ParameterName, 'PEM file of the CA certificates that vouch for the broker, instead of the system''s store; implies --tls')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'MQTT clientId; must match ^APPID(/[-_0-9a-zA-Z]{0,36})?$ [default: APPID/<random uuid>]')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Durable session: clientId APPID/NAME, clean session off, so QoS 1 pushes sent while this tool is stopped arrive on the next run with the same NAME. One process at a time: taken over twice in a row by another client with that clientId, a run exits 4. A profile''s session is taken only by a run with no --count/--timeout/--duration/--sn/--device-type')
            [CompletionResult]::new('--qos', '--qos', [CompletionResultType]::ParameterName, 'Subscription QoS: 0 (at most once) or 1 (at least once). The service offers no QoS 2')
            [CompletionResult]::new('--mqtt-version', '--mqtt-version', [CompletionResultType]::ParameterName, 'MQTT protocol version; auto tries 3.1.1, then 3.1 if the broker refuses it (CONNACK 1) or hangs up')
            [CompletionResult]::new('--topic', '--topic', [CompletionResultType]::ParameterName, 'Topic to subscribe to [default: users/APPID/devices]. The vendor''s page names `/users/:APPID/devices` (leading slash) but its sample subscribes without the slash; these are different MQTT topics, and we follow the sample')
            [CompletionResult]::new('--keepalive', '--keepalive', [CompletionResultType]::ParameterName, 'MQTT keepalive: a silently dead connection is noticed within 1.5x this (at most 65535s)')
            [CompletionResult]::new('--give-up-after', '--give-up-after', [CompletionResultType]::ParameterName, 'After a lost connection, exit 3 if the broker stays unreachable this long [default: retry forever]')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Connect over TLS; the broker''s certificate and host name are verified')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS without checking the certificate or host name (still encrypted, but anyone on the path can pose as the broker and read the AppSecret); for test brokers only')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;config;profiles' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file with [profiles.NAME] tables [default: ~/.config/sensoro-sub/config.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;config;init' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Name of the profile to write')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file to put it in [default: ~/.config/sensoro-sub/config.toml]')
            [CompletionResult]::new('--app-id', '--app-id', [CompletionResultType]::ParameterName, 'AppID from the SENSORO console [default: asked]')
            [CompletionResult]::new('--app-secret', '--app-secret', [CompletionResultType]::ParameterName, 'AppSecret [default: asked, without echo]. Prefer the env var or --app-secret-file: flags are visible in `ps`')
            [CompletionResult]::new('--app-secret-file', '--app-secret-file', [CompletionResultType]::ParameterName, 'Read the AppSecret from this file (mode 600)')
            [CompletionResult]::new('--app-key', '--app-key', [CompletionResultType]::ParameterName, 'AppKey for safe mode [default: asked on a terminal; none otherwise]')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Durable session name for a collector [default: asked on a terminal; none otherwise]')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'Broker host, HOST:PORT or URL, for a broker other than the SENSORO cloud (e.g. `simulate`)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Broker port, with --host')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the check''s report')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a profile of the same name')
            [CompletionResult]::new('--no-check', '--no-check', [CompletionResultType]::ParameterName, 'Write the profile without checking the login')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'sensoro-sub;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the resolved settings and where each comes from')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the profile names in the config file, one per line (what shell completion offers for --profile)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or questions on the terminal; the login is checked as `check` does, then the profile is written (mode 600). A login that fails writes nothing')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sensoro-sub;config;help;show' {
            break
        }
        'sensoro-sub;config;help;profiles' {
            break
        }
        'sensoro-sub;config;help;init' {
            break
        }
        'sensoro-sub;config;help;help' {
            break
        }
        'sensoro-sub;help' {
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Decode pushes stored as NDJSON (a webhook log, a saved stream) with the same decode, filter and print pipeline as the live subscriber')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the set-up step by step: name lookup, TCP, MQTT login, subscription, and optionally one push. Uses a clean session with a fresh clientId, so it never takes pushes queued for --session')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Watch the fleet live: a full-screen table, one row per device (latest readings, battery, last seen, pushes), where alarms (the --alarm rules; by default leak, smoke, battery below 20 %, …) are red and silent devices are flagged. Like the subscriber, it takes the profile''s session only when unfiltered (a viewer with --sn/--device-type uses a clean one). q quits')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run a local stand-in for the SENSORO cloud and watch it: a simulated fleet, an embedded broker with the service''s rules, and this tool subscribed to it (--watch: as a live table). Ctrl-C stops both')
            [CompletionResult]::new('simulate', 'simulate', [CompletionResultType]::ParameterValue, 'Run the stand-in for the SENSORO MQTT service alone, for other clients, jq pipelines and tests')
            [CompletionResult]::new('session', 'session', [CompletionResultType]::ParameterValue, 'Durable sessions the broker keeps for this AppID')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script (bash, zsh, fish, powershell, elvish)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the settings a command line resolves to (flags, environment, profile), secrets masked')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'sensoro-sub;help;decode' {
            break
        }
        'sensoro-sub;help;check' {
            break
        }
        'sensoro-sub;help;watch' {
            break
        }
        'sensoro-sub;help;demo' {
            break
        }
        'sensoro-sub;help;simulate' {
            [CompletionResult]::new('publish', 'publish', [CompletionResultType]::ParameterValue, 'Publish pushes given as JSON, one per line, from FILE or stdin, through a running stand-in (to the account named by --app-id, else the push''s appId, else the first account)')
            [CompletionResult]::new('alarm', 'alarm', [CompletionResultType]::ParameterValue, 'Raise an alarm on a simulated device: its next pushes are alarms, the first published at once')
            [CompletionResult]::new('silence', 'silence', [CompletionResultType]::ParameterValue, 'Silence a simulated device (watch flags it silent after twice its interval)')
            break
        }
        'sensoro-sub;help;simulate;publish' {
            break
        }
        'sensoro-sub;help;simulate;alarm' {
            break
        }
        'sensoro-sub;help;simulate;silence' {
            break
        }
        'sensoro-sub;help;session' {
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'End a durable session that will not come back (a renamed instance, a finished experiment): connect once as APPID/NAME with a clean session, which makes the broker discard the session''s subscription and every push it kept for it')
            break
        }
        'sensoro-sub;help;session;clear' {
            break
        }
        'sensoro-sub;help;completions' {
            break
        }
        'sensoro-sub;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the resolved settings and where each comes from')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List the profile names in the config file, one per line (what shell completion offers for --profile)')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up a profile: AppID, AppSecret, optional AppKey and session from flags, the environment or questions on the terminal; the login is checked as `check` does, then the profile is written (mode 600). A login that fails writes nothing')
            break
        }
        'sensoro-sub;help;config;show' {
            break
        }
        'sensoro-sub;help;config;profiles' {
            break
        }
        'sensoro-sub;help;config;init' {
            break
        }
        'sensoro-sub;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
