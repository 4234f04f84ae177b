#compdef mockops

autoload -U is-at-least

_mockops() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--format=[Output format; after the subcommand, its help lists the formats that command prints]:FORMAT:((table\:""
text\:""
json\:""
markdown\:""
html\:""
mermaid\:""
dot\:""
sarif\:"SARIF 2.1.0 (code scanning)"
junit\:"JUnit XML (test reporters)"
github\:"GitHub Actions workflow commands (annotations)"))' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_mockops_commands" \
"*::: :->mockops" \
&& ret=0
    case $state in
    (mockops)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-command-$line[1]:"
        case $line[1] in
            (init)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::dir -- Folder to initialise (default\: the current folder):_files' \
&& ret=0
;;
(demo)
_arguments "${_arguments_options[@]}" : \
'(--keep)--out=[Build the demo in DIR (new, or empty) and keep it there]:DIR:_files' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--keep[Keep the demo'\''s folder (project, origin, report) in the temp folder and say where]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(event)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__event_commands" \
"*::: :->event" \
&& ret=0

    case $state in
    (event)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-event-command-$line[1]:"
        case $line[1] in
            (emit)
_arguments "${_arguments_options[@]}" : \
'*-p+[Payload key=value (JSON when it parses; dotted keys nest)]:KEY=VALUE:_default' \
'(--payload-file)--payload=[Payload as a JSON object]:PAYLOAD:_default' \
'--payload-file=[Payload from a JSON or YAML file]:F:_files' \
'--workspace=[Workspace id (default\: the project'\''s)]:WORKSPACE:_default' \
'--format=[Output format\: table, text, json, junit]:FORMAT:((table\:""
text\:""
json\:""
junit\:"JUnit XML (test reporters)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--dry-run[Show which pipelines and steps would run; change nothing]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':event_type -- Event type (built-in, or custom.<name>):_default' \
&& ret=0
;;
(list)
_arguments "${_arguments_options[@]}" : \
'--type=[Only events of this type]:T:_default' \
'--since=[Only events newer than this\: a duration (1h, 7d), an RFC 3339 date, or \`all\`]:SINCE:_default' \
'--limit=[At most this many events]:LIMIT:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':id -- Event id, or a unique prefix of one:_default' \
&& ret=0
;;
(replay)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json, junit]:FORMAT:((table\:""
text\:""
json\:""
junit\:"JUnit XML (test reporters)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':id -- Event id, or a unique prefix of one:_default' \
&& ret=0
;;
(dead-letters)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(redeliver)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':id -- Dead letter id, or a unique prefix of one:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__event__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-event-help-command-$line[1]:"
        case $line[1] in
            (emit)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(replay)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(dead-letters)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(redeliver)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(pipeline)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__pipeline_commands" \
"*::: :->pipeline" \
&& ret=0

    case $state in
    (pipeline)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-pipeline-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json, sarif, github]:FORMAT:((table\:""
text\:""
json\:""
sarif\:"SARIF 2.1.0 (code scanning)"
github\:"GitHub Actions workflow commands (annotations)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::files -- Pipeline files or folders (default\: every file in pipelines/):_files' \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
'--event=[Event type (default\: the type of its first trigger)]:TYPE:_default' \
'*-p+[Payload key=value (JSON when it parses; dotted keys nest)]:KEY=VALUE:_default' \
'--payload=[Payload as a JSON object]:PAYLOAD:_default' \
'--format=[Output format\: table, text, json, junit]:FORMAT:((table\:""
text\:""
json\:""
junit\:"JUnit XML (test reporters)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--dry-run[Show the steps that would run and their rendered config; change nothing]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':name -- Pipeline name:_default' \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
'--status=[Only runs with this status\: running, succeeded, failed, interrupted]:STATUS:_default' \
'--limit=[At most this many runs]:LIMIT:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::name -- Only runs of this pipeline:_default' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':run_id -- Run id, or a unique prefix of one:_default' \
&& ret=0
;;
(logs)
_arguments "${_arguments_options[@]}" : \
'--step=[Only the logs of this step]:STEP:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':run_id -- Run id, or a unique prefix of one:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__pipeline__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-pipeline-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(logs)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(schema)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__schema_commands" \
"*::: :->schema" \
&& ret=0

    case $state in
    (schema)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-schema-command-$line[1]:"
        case $line[1] in
            (diff)
_arguments "${_arguments_options[@]}" : \
'--fail-on=[Exit 1 when there are breaking changes (\`breaking\`) or any change (\`any\`)]:FAIL_ON:(breaking any none)' \
'*--import-path=[Protobuf import path (repeatable)]:DIR:_files' \
'--format=[Output format\: text, table, json, markdown, sarif, github]:FORMAT:((text\:""
table\:""
json\:""
markdown\:""
sarif\:"SARIF 2.1.0 (code scanning)"
github\:"GitHub Actions workflow commands (annotations)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':old -- The earlier version\: a spec file, or a folder of .proto files:_files' \
':new -- The later version, of the same kind:_files' \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
'--base=[Compare with the same files at this git revision (a branch, tag or commit); stores no snapshot]:REF:_default' \
'--fail-on=[Exit 1 when a spec has breaking changes (\`breaking\`) or any change (\`any\`)]:FAIL_ON:(breaking any none)' \
'--format=[Output format\: table, text, json, sarif, junit, github]:FORMAT:((table\:""
text\:""
json\:""
sarif\:"SARIF 2.1.0 (code scanning)"
junit\:"JUnit XML (test reporters)"
github\:"GitHub Actions workflow commands (annotations)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--staged[Compare the versions staged in git (with HEAD, or with --base); stores no snapshot]' \
'--no-run[Emit and dispatch nothing (the snapshot mode still stores the new snapshots)]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::specs -- Specs to check (default\: the `specs` of mockops.yaml):_files' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__schema__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-schema-help-command-$line[1]:"
        case $line[1] in
            (diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(publish)
_arguments "${_arguments_options[@]}" : \
'--env=[Environment to publish to (default\: the first of \`environments\`)]:ENV:_default' \
'--version=[Version to record (default\: the next number)]:VERSION:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':kind -- What the file holds:(scenario persona)' \
':file -- The scenario or persona file (YAML with at least `name`):_files' \
&& ret=0
;;
(promote)
_arguments "${_arguments_options[@]}" : \
'--from=[Environment to copy from]:FROM:_default' \
'--to=[Environment to copy to (later in \`environments\` than --from)]:TO:_default' \
'--comment=[Recorded with the promotion and sent in promotion.completed]:COMMENT:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--force[Allow promoting to an earlier environment]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':kind -- What to promote:(scenario persona config)' \
':id -- The entity'\''s id (its `id`, else its file name without .yaml):_default' \
&& ret=0
;;
(promotion)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__promotion_commands" \
"*::: :->promotion" \
&& ret=0

    case $state in
    (promotion)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-promotion-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'--entity=[Only promotions of this entity]:ID:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__promotion__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-promotion-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(federation)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__federation_commands" \
"*::: :->federation" \
&& ret=0

    case $state in
    (federation)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-federation-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json, sarif, github]:FORMAT:((table\:""
text\:""
json\:""
sarif\:"SARIF 2.1.0 (code scanning)"
github\:"GitHub Actions workflow commands (annotations)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--strict[A reality level missing the URL it needs is an error, not a warning]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::files -- Federation files or folders (default\: every file in federations/):_files' \
&& ret=0
;;
(route)
_arguments "${_arguments_options[@]}" : \
'--federation=[Federation name (may be left out when there is only one)]:FEDERATION:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::args -- An optional HTTP method, then the request path (or a URL):_default' \
&& ret=0
;;
(graph)
_arguments "${_arguments_options[@]}" : \
'--federation=[Federation name (may be left out when there is only one)]:FEDERATION:_default' \
'--format=[Output format\: text, json, mermaid, dot]:FORMAT:(text json mermaid dot)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
'--listen=[Address to listen on\: IP\:PORT, or localhost\:PORT / PORT for 127.0.0.1]:LISTEN:_default' \
'--federation=[Federation name (may be left out when there is only one)]:FEDERATION:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--record[Record exchanges in the state file (default)]' \
'--no-record[Do not record exchanges]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(scenario)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__federation__subcmd__scenario_commands" \
"*::: :->scenario" \
&& ret=0

    case $state in
    (scenario)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-federation-scenario-command-$line[1]:"
        case $line[1] in
            (activate)
_arguments "${_arguments_options[@]}" : \
'--federation=[Federation name (may be left out when there is only one)]:FEDERATION:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':file -- The scenario file (name and per-service overrides):_files' \
&& ret=0
;;
(deactivate)
_arguments "${_arguments_options[@]}" : \
'--federation=[Federation name (may be left out when there is only one)]:FEDERATION:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
'--federation=[Federation name (may be left out when there is only one)]:FEDERATION:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__federation__subcmd__scenario__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-federation-scenario-help-command-$line[1]:"
        case $line[1] in
            (activate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(deactivate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__federation__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-federation-help-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(route)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(graph)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(scenario)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__federation__subcmd__help__subcmd__scenario_commands" \
"*::: :->scenario" \
&& ret=0

    case $state in
    (scenario)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-federation-help-scenario-command-$line[1]:"
        case $line[1] in
            (activate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(deactivate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(coverage)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__coverage_commands" \
"*::: :->coverage" \
&& ret=0

    case $state in
    (coverage)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-coverage-command-$line[1]:"
        case $line[1] in
            (ingest)
_arguments "${_arguments_options[@]}" : \
'--input-format=[The files'\'' format (default\: from each file'\''s extension and content)]:INPUT_FORMAT:(har jsonl mockforge-jsonl)' \
'--scenario=[Scenario of exchanges that do not name one]:SCENARIO:_default' \
'--persona=[Persona of exchanges that do not name one]:PERSONA:_default' \
'--ci-run=[CI run id of the exchanges (default\: from the CI environment)]:CI_RUN:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::files -- HAR or JSON Lines files:_files' \
&& ret=0
;;
(report)
_arguments "${_arguments_options[@]}" : \
'--since=[Window\: a duration (7d, 36h), an RFC 3339 date, or \`all\`]:SINCE:_default' \
'--service=[Only this federation service]:SERVICE:_default' \
'-o+[Write the report to this file instead of stdout]:FILE:_files' \
'--output=[Write the report to this file instead of stdout]:FILE:_files' \
'--fail-under=[Exit 1 when coverage_percent is below this (0 to 100)]:PERCENT:_default' \
'--format=[Output format\: table, text, json, markdown, html, junit]:FORMAT:((table\:""
text\:""
json\:""
markdown\:""
html\:""
junit\:"JUnit XML (test reporters)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--check-drift[Emit drift.threshold_exceeded for each exceeded budget]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__coverage__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-coverage-help-command-$line[1]:"
        case $line[1] in
            (ingest)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(report)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(drift)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__drift_commands" \
"*::: :->drift" \
&& ret=0

    case $state in
    (drift)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-drift-command-$line[1]:"
        case $line[1] in
            (check)
_arguments "${_arguments_options[@]}" : \
'--service=[Only this federation service]:SERVICE:_default' \
'--since=[Window\: a duration (7d, 36h), an RFC 3339 date, or \`all\`]:SINCE:_default' \
'--format=[Output format\: table, text, json, junit]:FORMAT:((table\:""
text\:""
json\:""
junit\:"JUnit XML (test reporters)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--no-run[Report the verdicts but emit and dispatch nothing]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__drift__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-drift-help-command-$line[1]:"
        case $line[1] in
            (check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(hook)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__hook_commands" \
"*::: :->hook" \
&& ret=0

    case $state in
    (hook)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-hook-command-$line[1]:"
        case $line[1] in
            (install)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'--force[Replace an existing hook that is not mockops'\''s instead of chaining it, and write even where another hook manager owns the hooks]' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::hooks:(pre-commit pre-push)' \
&& ret=0
;;
(uninstall)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::hooks:(pre-commit pre-push)' \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json, sarif, github]:FORMAT:((table\:""
text\:""
json\:""
sarif\:"SARIF 2.1.0 (code scanning)"
github\:"GitHub Actions workflow commands (annotations)"))' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':hook:(pre-commit pre-push)' \
'*::files -- Check these files (their working-tree content, specs against HEAD) instead of what is staged:_files' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__hook__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-hook-help-command-$line[1]:"
        case $line[1] in
            (install)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(uninstall)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(state)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
":: :_mockops__subcmd__state_commands" \
"*::: :->state" \
&& ret=0

    case $state in
    (state)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-state-command-$line[1]:"
        case $line[1] in
            (status)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(migrate)
_arguments "${_arguments_options[@]}" : \
'--to=[The PostgreSQL database to copy into (postgres\://user@host/db; the password from PGPASSWORD)]:URL:_default' \
'--from=[The SQLite file to copy (default\: the project'\''s state file)]:PATH:_files' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__state__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-state-help-command-$line[1]:"
        case $line[1] in
            (status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(migrate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(watch)
_arguments "${_arguments_options[@]}" : \
'--debounce=[Quiet time before a change is acted on (default\: watch.debounce_ms, 100ms)]:DEBOUNCE:_default' \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':shell -- bash, zsh, fish, powershell or elvish:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(json-schema)
_arguments "${_arguments_options[@]}" : \
'--format=[Output format\: table, text, json]:FORMAT:(table text json)' \
'--project=[Project root (default\: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)]:DIR:_files' \
'--state=[State\: an SQLite file or a postgres\:// URL (default\: MOCKOPS_STATE, else mockops.yaml'\''s state, else <root>/.mockops/state.db)]:PATH|URL:_files' \
'--color=[Colour messages\: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never]:WHEN:((auto\:"On a terminal, unless NO_COLOR is set or TERM is \`dumb\`"
always\:""
never\:""))' \
'-v[Debug logs on stderr]' \
'--verbose[Debug logs on stderr]' \
'(-v --verbose)-q[Errors only on stderr]' \
'(-v --verbose)--quiet[Errors only on stderr]' \
'--no-color[No colour (the same as --color never)]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':kind -- The kind of file:((pipeline\:"A pipeline file (\`pipelines/*.yaml\`)"
federation\:"A federation file (\`federations/*.yaml\`)"
scenario\:"A federation scenario file (\`federation scenario activate FILE\`)"
config\:"\`mockops.yaml\`"))' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-command-$line[1]:"
        case $line[1] in
            (init)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(demo)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(event)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__event_commands" \
"*::: :->event" \
&& ret=0

    case $state in
    (event)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-event-command-$line[1]:"
        case $line[1] in
            (emit)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(replay)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(dead-letters)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(redeliver)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(pipeline)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__pipeline_commands" \
"*::: :->pipeline" \
&& ret=0

    case $state in
    (pipeline)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-pipeline-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(history)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(logs)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(schema)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__schema_commands" \
"*::: :->schema" \
&& ret=0

    case $state in
    (schema)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-schema-command-$line[1]:"
        case $line[1] in
            (diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(publish)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(promote)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(promotion)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__promotion_commands" \
"*::: :->promotion" \
&& ret=0

    case $state in
    (promotion)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-promotion-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(federation)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__federation_commands" \
"*::: :->federation" \
&& ret=0

    case $state in
    (federation)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-federation-command-$line[1]:"
        case $line[1] in
            (list)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(validate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(route)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(graph)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(serve)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(scenario)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__federation__subcmd__scenario_commands" \
"*::: :->scenario" \
&& ret=0

    case $state in
    (scenario)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-federation-scenario-command-$line[1]:"
        case $line[1] in
            (activate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(deactivate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(show)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(coverage)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__coverage_commands" \
"*::: :->coverage" \
&& ret=0

    case $state in
    (coverage)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-coverage-command-$line[1]:"
        case $line[1] in
            (ingest)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(report)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(drift)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__drift_commands" \
"*::: :->drift" \
&& ret=0

    case $state in
    (drift)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-drift-command-$line[1]:"
        case $line[1] in
            (check)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(hook)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__hook_commands" \
"*::: :->hook" \
&& ret=0

    case $state in
    (hook)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-hook-command-$line[1]:"
        case $line[1] in
            (install)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(uninstall)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(run)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(state)
_arguments "${_arguments_options[@]}" : \
":: :_mockops__subcmd__help__subcmd__state_commands" \
"*::: :->state" \
&& ret=0

    case $state in
    (state)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:mockops-help-state-command-$line[1]:"
        case $line[1] in
            (status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(migrate)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(watch)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completions)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(json-schema)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_mockops_commands] )) ||
_mockops_commands() {
    local commands; commands=(
'init:Create mockops.yaml, an example pipeline and federation, and the state file' \
'demo:The closed loop in a throwaway project\: gateway, traffic, coverage, drift, pull request, webhook' \
'event:Emit, list, show and replay events; dead letters' \
'pipeline:List, validate, run and inspect pipelines' \
'schema:Structural diffs of specs; snapshot checks that emit schema.changed' \
'publish:Publish a scenario or persona\: record a version, copy it to an environment' \
'promote:Promote a scenario, persona or config to the next environment' \
'promotion:Promotions recorded' \
'federation:Federations\: validate, route, graph, serve the gateway, scenarios' \
'coverage:Ingest traffic; coverage and drift reports' \
'drift:Drift budgets' \
'hook:Git hooks\: install, uninstall, run' \
'state:The state\: backend, schema and row counts; copy a local state into PostgreSQL' \
'watch:Watch specs and definitions; run what their changes trigger' \
'completions:Print shell completions' \
'json-schema:Print the JSON Schema of pipeline, federation, scenario or config (mockops.yaml) files' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops commands' commands "$@"
}
(( $+functions[_mockops__subcmd__completions_commands] )) ||
_mockops__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'mockops completions commands' commands "$@"
}
(( $+functions[_mockops__subcmd__coverage_commands] )) ||
_mockops__subcmd__coverage_commands() {
    local commands; commands=(
'ingest:Ingest recorded traffic (HAR or JSON Lines)' \
'report:Endpoint coverage, scenario heatmap, persona hits, staleness and drift' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops coverage commands' commands "$@"
}
(( $+functions[_mockops__subcmd__coverage__subcmd__help_commands] )) ||
_mockops__subcmd__coverage__subcmd__help_commands() {
    local commands; commands=(
'ingest:Ingest recorded traffic (HAR or JSON Lines)' \
'report:Endpoint coverage, scenario heatmap, persona hits, staleness and drift' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops coverage help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__coverage__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__coverage__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops coverage help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__coverage__subcmd__help__subcmd__ingest_commands] )) ||
_mockops__subcmd__coverage__subcmd__help__subcmd__ingest_commands() {
    local commands; commands=()
    _describe -t commands 'mockops coverage help ingest commands' commands "$@"
}
(( $+functions[_mockops__subcmd__coverage__subcmd__help__subcmd__report_commands] )) ||
_mockops__subcmd__coverage__subcmd__help__subcmd__report_commands() {
    local commands; commands=()
    _describe -t commands 'mockops coverage help report commands' commands "$@"
}
(( $+functions[_mockops__subcmd__coverage__subcmd__ingest_commands] )) ||
_mockops__subcmd__coverage__subcmd__ingest_commands() {
    local commands; commands=()
    _describe -t commands 'mockops coverage ingest commands' commands "$@"
}
(( $+functions[_mockops__subcmd__coverage__subcmd__report_commands] )) ||
_mockops__subcmd__coverage__subcmd__report_commands() {
    local commands; commands=()
    _describe -t commands 'mockops coverage report commands' commands "$@"
}
(( $+functions[_mockops__subcmd__demo_commands] )) ||
_mockops__subcmd__demo_commands() {
    local commands; commands=()
    _describe -t commands 'mockops demo commands' commands "$@"
}
(( $+functions[_mockops__subcmd__drift_commands] )) ||
_mockops__subcmd__drift_commands() {
    local commands; commands=(
'check:Evaluate the drift budgets; emit drift.threshold_exceeded for each exceeded one' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops drift commands' commands "$@"
}
(( $+functions[_mockops__subcmd__drift__subcmd__check_commands] )) ||
_mockops__subcmd__drift__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'mockops drift check commands' commands "$@"
}
(( $+functions[_mockops__subcmd__drift__subcmd__help_commands] )) ||
_mockops__subcmd__drift__subcmd__help_commands() {
    local commands; commands=(
'check:Evaluate the drift budgets; emit drift.threshold_exceeded for each exceeded one' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops drift help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__drift__subcmd__help__subcmd__check_commands] )) ||
_mockops__subcmd__drift__subcmd__help__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'mockops drift help check commands' commands "$@"
}
(( $+functions[_mockops__subcmd__drift__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__drift__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops drift help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event_commands] )) ||
_mockops__subcmd__event_commands() {
    local commands; commands=(
'emit:Emit an event and dispatch it to every matching pipeline' \
'list:List events, newest first' \
'show:Show an event with the runs it caused and its child events' \
'replay:Dispatch a copy of an event as a new chain' \
'dead-letters:Deliveries that failed for good' \
'redeliver:Send a dead letter again (target and credentials rendered afresh)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops event commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__dead-letters_commands] )) ||
_mockops__subcmd__event__subcmd__dead-letters_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event dead-letters commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__emit_commands] )) ||
_mockops__subcmd__event__subcmd__emit_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event emit commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__help_commands] )) ||
_mockops__subcmd__event__subcmd__help_commands() {
    local commands; commands=(
'emit:Emit an event and dispatch it to every matching pipeline' \
'list:List events, newest first' \
'show:Show an event with the runs it caused and its child events' \
'replay:Dispatch a copy of an event as a new chain' \
'dead-letters:Deliveries that failed for good' \
'redeliver:Send a dead letter again (target and credentials rendered afresh)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops event help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__help__subcmd__dead-letters_commands] )) ||
_mockops__subcmd__event__subcmd__help__subcmd__dead-letters_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event help dead-letters commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__help__subcmd__emit_commands] )) ||
_mockops__subcmd__event__subcmd__help__subcmd__emit_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event help emit commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__event__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__help__subcmd__list_commands] )) ||
_mockops__subcmd__event__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event help list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__help__subcmd__redeliver_commands] )) ||
_mockops__subcmd__event__subcmd__help__subcmd__redeliver_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event help redeliver commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__help__subcmd__replay_commands] )) ||
_mockops__subcmd__event__subcmd__help__subcmd__replay_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event help replay commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__help__subcmd__show_commands] )) ||
_mockops__subcmd__event__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event help show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__list_commands] )) ||
_mockops__subcmd__event__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__redeliver_commands] )) ||
_mockops__subcmd__event__subcmd__redeliver_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event redeliver commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__replay_commands] )) ||
_mockops__subcmd__event__subcmd__replay_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event replay commands' commands "$@"
}
(( $+functions[_mockops__subcmd__event__subcmd__show_commands] )) ||
_mockops__subcmd__event__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops event show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation_commands] )) ||
_mockops__subcmd__federation_commands() {
    local commands; commands=(
'list:Federations with their service counts and active scenario' \
'validate:Check federation files (all of federations/ when none is named)' \
'route:Resolve a request path to its service' \
'graph:Draw the dependency graph (mermaid or dot via --format)' \
'serve:Run the local gateway that applies every service'\''s reality level' \
'scenario:Activate, deactivate or show a federation scenario' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops federation commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__graph_commands] )) ||
_mockops__subcmd__federation__subcmd__graph_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation graph commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help_commands] )) ||
_mockops__subcmd__federation__subcmd__help_commands() {
    local commands; commands=(
'list:Federations with their service counts and active scenario' \
'validate:Check federation files (all of federations/ when none is named)' \
'route:Resolve a request path to its service' \
'graph:Draw the dependency graph (mermaid or dot via --format)' \
'serve:Run the local gateway that applies every service'\''s reality level' \
'scenario:Activate, deactivate or show a federation scenario' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops federation help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__graph_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__graph_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation help graph commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__list_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation help list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__route_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__route_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation help route commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__scenario_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__scenario_commands() {
    local commands; commands=(
'activate:Apply a scenario file'\''s overrides (a running gateway picks them up)' \
'deactivate:Back to every service'\''s own reality level' \
'show:The active scenario, since when, and its overrides' \
    )
    _describe -t commands 'mockops federation help scenario commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__scenario__subcmd__activate_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__scenario__subcmd__activate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation help scenario activate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__scenario__subcmd__deactivate_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__scenario__subcmd__deactivate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation help scenario deactivate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__scenario__subcmd__show_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__scenario__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation help scenario show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__serve_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation help serve commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__help__subcmd__validate_commands] )) ||
_mockops__subcmd__federation__subcmd__help__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation help validate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__list_commands] )) ||
_mockops__subcmd__federation__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__route_commands] )) ||
_mockops__subcmd__federation__subcmd__route_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation route commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__scenario_commands] )) ||
_mockops__subcmd__federation__subcmd__scenario_commands() {
    local commands; commands=(
'activate:Apply a scenario file'\''s overrides (a running gateway picks them up)' \
'deactivate:Back to every service'\''s own reality level' \
'show:The active scenario, since when, and its overrides' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops federation scenario commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__scenario__subcmd__activate_commands] )) ||
_mockops__subcmd__federation__subcmd__scenario__subcmd__activate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation scenario activate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__scenario__subcmd__deactivate_commands] )) ||
_mockops__subcmd__federation__subcmd__scenario__subcmd__deactivate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation scenario deactivate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__scenario__subcmd__help_commands] )) ||
_mockops__subcmd__federation__subcmd__scenario__subcmd__help_commands() {
    local commands; commands=(
'activate:Apply a scenario file'\''s overrides (a running gateway picks them up)' \
'deactivate:Back to every service'\''s own reality level' \
'show:The active scenario, since when, and its overrides' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops federation scenario help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__scenario__subcmd__help__subcmd__activate_commands] )) ||
_mockops__subcmd__federation__subcmd__scenario__subcmd__help__subcmd__activate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation scenario help activate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__scenario__subcmd__help__subcmd__deactivate_commands] )) ||
_mockops__subcmd__federation__subcmd__scenario__subcmd__help__subcmd__deactivate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation scenario help deactivate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__scenario__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__federation__subcmd__scenario__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation scenario help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__scenario__subcmd__help__subcmd__show_commands] )) ||
_mockops__subcmd__federation__subcmd__scenario__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation scenario help show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__scenario__subcmd__show_commands] )) ||
_mockops__subcmd__federation__subcmd__scenario__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation scenario show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__serve_commands] )) ||
_mockops__subcmd__federation__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation serve commands' commands "$@"
}
(( $+functions[_mockops__subcmd__federation__subcmd__validate_commands] )) ||
_mockops__subcmd__federation__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops federation validate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help_commands] )) ||
_mockops__subcmd__help_commands() {
    local commands; commands=(
'init:Create mockops.yaml, an example pipeline and federation, and the state file' \
'demo:The closed loop in a throwaway project\: gateway, traffic, coverage, drift, pull request, webhook' \
'event:Emit, list, show and replay events; dead letters' \
'pipeline:List, validate, run and inspect pipelines' \
'schema:Structural diffs of specs; snapshot checks that emit schema.changed' \
'publish:Publish a scenario or persona\: record a version, copy it to an environment' \
'promote:Promote a scenario, persona or config to the next environment' \
'promotion:Promotions recorded' \
'federation:Federations\: validate, route, graph, serve the gateway, scenarios' \
'coverage:Ingest traffic; coverage and drift reports' \
'drift:Drift budgets' \
'hook:Git hooks\: install, uninstall, run' \
'state:The state\: backend, schema and row counts; copy a local state into PostgreSQL' \
'watch:Watch specs and definitions; run what their changes trigger' \
'completions:Print shell completions' \
'json-schema:Print the JSON Schema of pipeline, federation, scenario or config (mockops.yaml) files' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__completions_commands] )) ||
_mockops__subcmd__help__subcmd__completions_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help completions commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__coverage_commands] )) ||
_mockops__subcmd__help__subcmd__coverage_commands() {
    local commands; commands=(
'ingest:Ingest recorded traffic (HAR or JSON Lines)' \
'report:Endpoint coverage, scenario heatmap, persona hits, staleness and drift' \
    )
    _describe -t commands 'mockops help coverage commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__coverage__subcmd__ingest_commands] )) ||
_mockops__subcmd__help__subcmd__coverage__subcmd__ingest_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help coverage ingest commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__coverage__subcmd__report_commands] )) ||
_mockops__subcmd__help__subcmd__coverage__subcmd__report_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help coverage report commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__demo_commands] )) ||
_mockops__subcmd__help__subcmd__demo_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help demo commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__drift_commands] )) ||
_mockops__subcmd__help__subcmd__drift_commands() {
    local commands; commands=(
'check:Evaluate the drift budgets; emit drift.threshold_exceeded for each exceeded one' \
    )
    _describe -t commands 'mockops help drift commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__drift__subcmd__check_commands] )) ||
_mockops__subcmd__help__subcmd__drift__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help drift check commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__event_commands] )) ||
_mockops__subcmd__help__subcmd__event_commands() {
    local commands; commands=(
'emit:Emit an event and dispatch it to every matching pipeline' \
'list:List events, newest first' \
'show:Show an event with the runs it caused and its child events' \
'replay:Dispatch a copy of an event as a new chain' \
'dead-letters:Deliveries that failed for good' \
'redeliver:Send a dead letter again (target and credentials rendered afresh)' \
    )
    _describe -t commands 'mockops help event commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__event__subcmd__dead-letters_commands] )) ||
_mockops__subcmd__help__subcmd__event__subcmd__dead-letters_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help event dead-letters commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__event__subcmd__emit_commands] )) ||
_mockops__subcmd__help__subcmd__event__subcmd__emit_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help event emit commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__event__subcmd__list_commands] )) ||
_mockops__subcmd__help__subcmd__event__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help event list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__event__subcmd__redeliver_commands] )) ||
_mockops__subcmd__help__subcmd__event__subcmd__redeliver_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help event redeliver commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__event__subcmd__replay_commands] )) ||
_mockops__subcmd__help__subcmd__event__subcmd__replay_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help event replay commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__event__subcmd__show_commands] )) ||
_mockops__subcmd__help__subcmd__event__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help event show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation_commands] )) ||
_mockops__subcmd__help__subcmd__federation_commands() {
    local commands; commands=(
'list:Federations with their service counts and active scenario' \
'validate:Check federation files (all of federations/ when none is named)' \
'route:Resolve a request path to its service' \
'graph:Draw the dependency graph (mermaid or dot via --format)' \
'serve:Run the local gateway that applies every service'\''s reality level' \
'scenario:Activate, deactivate or show a federation scenario' \
    )
    _describe -t commands 'mockops help federation commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation__subcmd__graph_commands] )) ||
_mockops__subcmd__help__subcmd__federation__subcmd__graph_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help federation graph commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation__subcmd__list_commands] )) ||
_mockops__subcmd__help__subcmd__federation__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help federation list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation__subcmd__route_commands] )) ||
_mockops__subcmd__help__subcmd__federation__subcmd__route_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help federation route commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation__subcmd__scenario_commands] )) ||
_mockops__subcmd__help__subcmd__federation__subcmd__scenario_commands() {
    local commands; commands=(
'activate:Apply a scenario file'\''s overrides (a running gateway picks them up)' \
'deactivate:Back to every service'\''s own reality level' \
'show:The active scenario, since when, and its overrides' \
    )
    _describe -t commands 'mockops help federation scenario commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation__subcmd__scenario__subcmd__activate_commands] )) ||
_mockops__subcmd__help__subcmd__federation__subcmd__scenario__subcmd__activate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help federation scenario activate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation__subcmd__scenario__subcmd__deactivate_commands] )) ||
_mockops__subcmd__help__subcmd__federation__subcmd__scenario__subcmd__deactivate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help federation scenario deactivate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation__subcmd__scenario__subcmd__show_commands] )) ||
_mockops__subcmd__help__subcmd__federation__subcmd__scenario__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help federation scenario show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation__subcmd__serve_commands] )) ||
_mockops__subcmd__help__subcmd__federation__subcmd__serve_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help federation serve commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__federation__subcmd__validate_commands] )) ||
_mockops__subcmd__help__subcmd__federation__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help federation validate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__hook_commands] )) ||
_mockops__subcmd__help__subcmd__hook_commands() {
    local commands; commands=(
'install:Write <hook> where git runs hooks, calling \`mockops hook run <hook>\` (default\: pre-commit)' \
'uninstall:Remove mockops'\''s hooks (default\: every one), restoring the hooks they chained' \
'run:What the installed hook runs; FILE... checks exactly those files (pre-commit framework)' \
    )
    _describe -t commands 'mockops help hook commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__hook__subcmd__install_commands] )) ||
_mockops__subcmd__help__subcmd__hook__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help hook install commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__hook__subcmd__run_commands] )) ||
_mockops__subcmd__help__subcmd__hook__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help hook run commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__hook__subcmd__uninstall_commands] )) ||
_mockops__subcmd__help__subcmd__hook__subcmd__uninstall_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help hook uninstall commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__init_commands] )) ||
_mockops__subcmd__help__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help init commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__json-schema_commands] )) ||
_mockops__subcmd__help__subcmd__json-schema_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help json-schema commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__pipeline_commands] )) ||
_mockops__subcmd__help__subcmd__pipeline_commands() {
    local commands; commands=(
'list:Pipelines with their triggers, steps and last run' \
'validate:Check pipeline files (all of pipelines/ when none is named)' \
'run:Run one pipeline on an event, even if its filters do not match' \
'history:Past runs, newest first' \
'show:A run with its steps, attempts, durations, outputs and errors' \
'logs:The logs of a run' \
    )
    _describe -t commands 'mockops help pipeline commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__pipeline__subcmd__history_commands] )) ||
_mockops__subcmd__help__subcmd__pipeline__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help pipeline history commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__pipeline__subcmd__list_commands] )) ||
_mockops__subcmd__help__subcmd__pipeline__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help pipeline list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__pipeline__subcmd__logs_commands] )) ||
_mockops__subcmd__help__subcmd__pipeline__subcmd__logs_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help pipeline logs commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__pipeline__subcmd__run_commands] )) ||
_mockops__subcmd__help__subcmd__pipeline__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help pipeline run commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__pipeline__subcmd__show_commands] )) ||
_mockops__subcmd__help__subcmd__pipeline__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help pipeline show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__pipeline__subcmd__validate_commands] )) ||
_mockops__subcmd__help__subcmd__pipeline__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help pipeline validate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__promote_commands] )) ||
_mockops__subcmd__help__subcmd__promote_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help promote commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__promotion_commands] )) ||
_mockops__subcmd__help__subcmd__promotion_commands() {
    local commands; commands=(
'list:Promotions, newest first' \
    )
    _describe -t commands 'mockops help promotion commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__promotion__subcmd__list_commands] )) ||
_mockops__subcmd__help__subcmd__promotion__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help promotion list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__publish_commands] )) ||
_mockops__subcmd__help__subcmd__publish_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help publish commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__schema_commands] )) ||
_mockops__subcmd__help__subcmd__schema_commands() {
    local commands; commands=(
'diff:Structural changes between two versions of a spec (OpenAPI, Swagger or Protobuf)' \
'check:Compare specs with their last snapshot, or a git revision; emit schema.changed for changed ones' \
    )
    _describe -t commands 'mockops help schema commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__schema__subcmd__check_commands] )) ||
_mockops__subcmd__help__subcmd__schema__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help schema check commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__schema__subcmd__diff_commands] )) ||
_mockops__subcmd__help__subcmd__schema__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help schema diff commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__state_commands] )) ||
_mockops__subcmd__help__subcmd__state_commands() {
    local commands; commands=(
'status:Which backend holds the state, its schema version and the rows of each table' \
'migrate:Copy a local SQLite state into PostgreSQL (running it again adds nothing)' \
    )
    _describe -t commands 'mockops help state commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__state__subcmd__migrate_commands] )) ||
_mockops__subcmd__help__subcmd__state__subcmd__migrate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help state migrate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__state__subcmd__status_commands] )) ||
_mockops__subcmd__help__subcmd__state__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help state status commands' commands "$@"
}
(( $+functions[_mockops__subcmd__help__subcmd__watch_commands] )) ||
_mockops__subcmd__help__subcmd__watch_commands() {
    local commands; commands=()
    _describe -t commands 'mockops help watch commands' commands "$@"
}
(( $+functions[_mockops__subcmd__hook_commands] )) ||
_mockops__subcmd__hook_commands() {
    local commands; commands=(
'install:Write <hook> where git runs hooks, calling \`mockops hook run <hook>\` (default\: pre-commit)' \
'uninstall:Remove mockops'\''s hooks (default\: every one), restoring the hooks they chained' \
'run:What the installed hook runs; FILE... checks exactly those files (pre-commit framework)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops hook commands' commands "$@"
}
(( $+functions[_mockops__subcmd__hook__subcmd__help_commands] )) ||
_mockops__subcmd__hook__subcmd__help_commands() {
    local commands; commands=(
'install:Write <hook> where git runs hooks, calling \`mockops hook run <hook>\` (default\: pre-commit)' \
'uninstall:Remove mockops'\''s hooks (default\: every one), restoring the hooks they chained' \
'run:What the installed hook runs; FILE... checks exactly those files (pre-commit framework)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops hook help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__hook__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__hook__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops hook help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__hook__subcmd__help__subcmd__install_commands] )) ||
_mockops__subcmd__hook__subcmd__help__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'mockops hook help install commands' commands "$@"
}
(( $+functions[_mockops__subcmd__hook__subcmd__help__subcmd__run_commands] )) ||
_mockops__subcmd__hook__subcmd__help__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'mockops hook help run commands' commands "$@"
}
(( $+functions[_mockops__subcmd__hook__subcmd__help__subcmd__uninstall_commands] )) ||
_mockops__subcmd__hook__subcmd__help__subcmd__uninstall_commands() {
    local commands; commands=()
    _describe -t commands 'mockops hook help uninstall commands' commands "$@"
}
(( $+functions[_mockops__subcmd__hook__subcmd__install_commands] )) ||
_mockops__subcmd__hook__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'mockops hook install commands' commands "$@"
}
(( $+functions[_mockops__subcmd__hook__subcmd__run_commands] )) ||
_mockops__subcmd__hook__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'mockops hook run commands' commands "$@"
}
(( $+functions[_mockops__subcmd__hook__subcmd__uninstall_commands] )) ||
_mockops__subcmd__hook__subcmd__uninstall_commands() {
    local commands; commands=()
    _describe -t commands 'mockops hook uninstall commands' commands "$@"
}
(( $+functions[_mockops__subcmd__init_commands] )) ||
_mockops__subcmd__init_commands() {
    local commands; commands=()
    _describe -t commands 'mockops init commands' commands "$@"
}
(( $+functions[_mockops__subcmd__json-schema_commands] )) ||
_mockops__subcmd__json-schema_commands() {
    local commands; commands=()
    _describe -t commands 'mockops json-schema commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline_commands] )) ||
_mockops__subcmd__pipeline_commands() {
    local commands; commands=(
'list:Pipelines with their triggers, steps and last run' \
'validate:Check pipeline files (all of pipelines/ when none is named)' \
'run:Run one pipeline on an event, even if its filters do not match' \
'history:Past runs, newest first' \
'show:A run with its steps, attempts, durations, outputs and errors' \
'logs:The logs of a run' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops pipeline commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__help_commands] )) ||
_mockops__subcmd__pipeline__subcmd__help_commands() {
    local commands; commands=(
'list:Pipelines with their triggers, steps and last run' \
'validate:Check pipeline files (all of pipelines/ when none is named)' \
'run:Run one pipeline on an event, even if its filters do not match' \
'history:Past runs, newest first' \
'show:A run with its steps, attempts, durations, outputs and errors' \
'logs:The logs of a run' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops pipeline help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__pipeline__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__help__subcmd__history_commands] )) ||
_mockops__subcmd__pipeline__subcmd__help__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline help history commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__help__subcmd__list_commands] )) ||
_mockops__subcmd__pipeline__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline help list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__help__subcmd__logs_commands] )) ||
_mockops__subcmd__pipeline__subcmd__help__subcmd__logs_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline help logs commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__help__subcmd__run_commands] )) ||
_mockops__subcmd__pipeline__subcmd__help__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline help run commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__help__subcmd__show_commands] )) ||
_mockops__subcmd__pipeline__subcmd__help__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline help show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__help__subcmd__validate_commands] )) ||
_mockops__subcmd__pipeline__subcmd__help__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline help validate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__history_commands] )) ||
_mockops__subcmd__pipeline__subcmd__history_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline history commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__list_commands] )) ||
_mockops__subcmd__pipeline__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__logs_commands] )) ||
_mockops__subcmd__pipeline__subcmd__logs_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline logs commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__run_commands] )) ||
_mockops__subcmd__pipeline__subcmd__run_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline run commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__show_commands] )) ||
_mockops__subcmd__pipeline__subcmd__show_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline show commands' commands "$@"
}
(( $+functions[_mockops__subcmd__pipeline__subcmd__validate_commands] )) ||
_mockops__subcmd__pipeline__subcmd__validate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops pipeline validate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__promote_commands] )) ||
_mockops__subcmd__promote_commands() {
    local commands; commands=()
    _describe -t commands 'mockops promote commands' commands "$@"
}
(( $+functions[_mockops__subcmd__promotion_commands] )) ||
_mockops__subcmd__promotion_commands() {
    local commands; commands=(
'list:Promotions, newest first' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops promotion commands' commands "$@"
}
(( $+functions[_mockops__subcmd__promotion__subcmd__help_commands] )) ||
_mockops__subcmd__promotion__subcmd__help_commands() {
    local commands; commands=(
'list:Promotions, newest first' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops promotion help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__promotion__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__promotion__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops promotion help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__promotion__subcmd__help__subcmd__list_commands] )) ||
_mockops__subcmd__promotion__subcmd__help__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops promotion help list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__promotion__subcmd__list_commands] )) ||
_mockops__subcmd__promotion__subcmd__list_commands() {
    local commands; commands=()
    _describe -t commands 'mockops promotion list commands' commands "$@"
}
(( $+functions[_mockops__subcmd__publish_commands] )) ||
_mockops__subcmd__publish_commands() {
    local commands; commands=()
    _describe -t commands 'mockops publish commands' commands "$@"
}
(( $+functions[_mockops__subcmd__schema_commands] )) ||
_mockops__subcmd__schema_commands() {
    local commands; commands=(
'diff:Structural changes between two versions of a spec (OpenAPI, Swagger or Protobuf)' \
'check:Compare specs with their last snapshot, or a git revision; emit schema.changed for changed ones' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops schema commands' commands "$@"
}
(( $+functions[_mockops__subcmd__schema__subcmd__check_commands] )) ||
_mockops__subcmd__schema__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'mockops schema check commands' commands "$@"
}
(( $+functions[_mockops__subcmd__schema__subcmd__diff_commands] )) ||
_mockops__subcmd__schema__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'mockops schema diff commands' commands "$@"
}
(( $+functions[_mockops__subcmd__schema__subcmd__help_commands] )) ||
_mockops__subcmd__schema__subcmd__help_commands() {
    local commands; commands=(
'diff:Structural changes between two versions of a spec (OpenAPI, Swagger or Protobuf)' \
'check:Compare specs with their last snapshot, or a git revision; emit schema.changed for changed ones' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops schema help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__schema__subcmd__help__subcmd__check_commands] )) ||
_mockops__subcmd__schema__subcmd__help__subcmd__check_commands() {
    local commands; commands=()
    _describe -t commands 'mockops schema help check commands' commands "$@"
}
(( $+functions[_mockops__subcmd__schema__subcmd__help__subcmd__diff_commands] )) ||
_mockops__subcmd__schema__subcmd__help__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'mockops schema help diff commands' commands "$@"
}
(( $+functions[_mockops__subcmd__schema__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__schema__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops schema help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__state_commands] )) ||
_mockops__subcmd__state_commands() {
    local commands; commands=(
'status:Which backend holds the state, its schema version and the rows of each table' \
'migrate:Copy a local SQLite state into PostgreSQL (running it again adds nothing)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops state commands' commands "$@"
}
(( $+functions[_mockops__subcmd__state__subcmd__help_commands] )) ||
_mockops__subcmd__state__subcmd__help_commands() {
    local commands; commands=(
'status:Which backend holds the state, its schema version and the rows of each table' \
'migrate:Copy a local SQLite state into PostgreSQL (running it again adds nothing)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'mockops state help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__state__subcmd__help__subcmd__help_commands] )) ||
_mockops__subcmd__state__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'mockops state help help commands' commands "$@"
}
(( $+functions[_mockops__subcmd__state__subcmd__help__subcmd__migrate_commands] )) ||
_mockops__subcmd__state__subcmd__help__subcmd__migrate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops state help migrate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__state__subcmd__help__subcmd__status_commands] )) ||
_mockops__subcmd__state__subcmd__help__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'mockops state help status commands' commands "$@"
}
(( $+functions[_mockops__subcmd__state__subcmd__migrate_commands] )) ||
_mockops__subcmd__state__subcmd__migrate_commands() {
    local commands; commands=()
    _describe -t commands 'mockops state migrate commands' commands "$@"
}
(( $+functions[_mockops__subcmd__state__subcmd__status_commands] )) ||
_mockops__subcmd__state__subcmd__status_commands() {
    local commands; commands=()
    _describe -t commands 'mockops state status commands' commands "$@"
}
(( $+functions[_mockops__subcmd__watch_commands] )) ||
_mockops__subcmd__watch_commands() {
    local commands; commands=()
    _describe -t commands 'mockops watch commands' commands "$@"
}

if [ "$funcstack[1]" = "_mockops" ]; then
    _mockops "$@"
else
    compdef _mockops mockops
fi
