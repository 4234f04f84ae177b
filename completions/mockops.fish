# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mockops_global_optspecs
    string join \n project= state= format= v/verbose q/quiet no-color color= h/help V/version
end

function __fish_mockops_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mockops_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mockops_using_subcommand
    set -l cmd (__fish_mockops_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mockops -n "__fish_mockops_needs_command" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_needs_command" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_needs_command" -l format -d 'Output format; after the subcommand, its help lists the formats that command prints' -r -f -a "table\t''
text\t''
json\t''
markdown\t''
html\t''
mermaid\t''
dot\t''
sarif\t'SARIF 2.1.0 (code scanning)'
junit\t'JUnit XML (test reporters)'
github\t'GitHub Actions workflow commands (annotations)'"
complete -c mockops -n "__fish_mockops_needs_command" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_needs_command" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_needs_command" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_needs_command" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_needs_command" -s V -l version -d 'Print version'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "init" -d 'Create mockops.yaml, an example pipeline and federation, and the state file'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "demo" -d 'The closed loop in a throwaway project: gateway, traffic, coverage, drift, pull request, webhook'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "event" -d 'Emit, list, show and replay events; dead letters'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "pipeline" -d 'List, validate, run and inspect pipelines'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "schema" -d 'Structural diffs of specs; snapshot checks that emit schema.changed'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "publish" -d 'Publish a scenario or persona: record a version, copy it to an environment'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "promote" -d 'Promote a scenario, persona or config to the next environment'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "promotion" -d 'Promotions recorded'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "federation" -d 'Federations: validate, route, graph, serve the gateway, scenarios'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "coverage" -d 'Ingest traffic; coverage and drift reports'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "drift" -d 'Drift budgets'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "hook" -d 'Git hooks: install, uninstall, run'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "state" -d 'The state: backend, schema and row counts; copy a local state into PostgreSQL'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "watch" -d 'Watch specs and definitions; run what their changes trigger'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "json-schema" -d 'Print the JSON Schema of pipeline, federation, scenario or config (mockops.yaml) files'
complete -c mockops -n "__fish_mockops_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand init" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand init" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand init" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand init" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand init" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand init" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand init" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand demo" -l out -d 'Build the demo in DIR (new, or empty) and keep it there' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand demo" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand demo" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand demo" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand demo" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand demo" -l keep -d 'Keep the demo\'s folder (project, origin, report) in the temp folder and say where'
complete -c mockops -n "__fish_mockops_using_subcommand demo" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand demo" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand demo" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -f -a "emit" -d 'Emit an event and dispatch it to every matching pipeline'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -f -a "list" -d 'List events, newest first'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -f -a "show" -d 'Show an event with the runs it caused and its child events'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -f -a "replay" -d 'Dispatch a copy of an event as a new chain'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -f -a "dead-letters" -d 'Deliveries that failed for good'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -f -a "redeliver" -d 'Send a dead letter again (target and credentials rendered afresh)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and not __fish_seen_subcommand_from emit list show replay dead-letters redeliver help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -s p -d 'Payload key=value (JSON when it parses; dotted keys nest)' -r
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -l payload -d 'Payload as a JSON object' -r
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -l payload-file -d 'Payload from a JSON or YAML file' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -l workspace -d 'Workspace id (default: the project\'s)' -r
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -l format -d 'Output format: table, text, json, junit' -r -f -a "table\t''
text\t''
json\t''
junit\t'JUnit XML (test reporters)'"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -l dry-run -d 'Show which pipelines and steps would run; change nothing'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from emit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -l type -d 'Only events of this type' -r
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -l since -d 'Only events newer than this: a duration (1h, 7d), an RFC 3339 date, or `all`' -r
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -l limit -d 'At most this many events' -r
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from show" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from show" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from show" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from show" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from show" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from replay" -l format -d 'Output format: table, text, json, junit' -r -f -a "table\t''
text\t''
json\t''
junit\t'JUnit XML (test reporters)'"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from replay" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from replay" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from replay" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from replay" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from replay" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from replay" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from dead-letters" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from dead-letters" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from dead-letters" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from dead-letters" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from dead-letters" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from dead-letters" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from dead-letters" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from dead-letters" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from redeliver" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from redeliver" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from redeliver" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from redeliver" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from redeliver" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from redeliver" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from redeliver" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from redeliver" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "emit" -d 'Emit an event and dispatch it to every matching pipeline'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "list" -d 'List events, newest first'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show an event with the runs it caused and its child events'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "replay" -d 'Dispatch a copy of an event as a new chain'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "dead-letters" -d 'Deliveries that failed for good'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "redeliver" -d 'Send a dead letter again (target and credentials rendered afresh)'
complete -c mockops -n "__fish_mockops_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -f -a "list" -d 'Pipelines with their triggers, steps and last run'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -f -a "validate" -d 'Check pipeline files (all of pipelines/ when none is named)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -f -a "run" -d 'Run one pipeline on an event, even if its filters do not match'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -f -a "history" -d 'Past runs, newest first'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -f -a "show" -d 'A run with its steps, attempts, durations, outputs and errors'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -f -a "logs" -d 'The logs of a run'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and not __fish_seen_subcommand_from list validate run history show logs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from list" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from list" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from list" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from list" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from validate" -l format -d 'Output format: table, text, json, sarif, github' -r -f -a "table\t''
text\t''
json\t''
sarif\t'SARIF 2.1.0 (code scanning)'
github\t'GitHub Actions workflow commands (annotations)'"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from validate" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from validate" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from validate" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from validate" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -l event -d 'Event type (default: the type of its first trigger)' -r
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -s p -d 'Payload key=value (JSON when it parses; dotted keys nest)' -r
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -l payload -d 'Payload as a JSON object' -r
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -l format -d 'Output format: table, text, json, junit' -r -f -a "table\t''
text\t''
json\t''
junit\t'JUnit XML (test reporters)'"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -l dry-run -d 'Show the steps that would run and their rendered config; change nothing'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -l status -d 'Only runs with this status: running, succeeded, failed, interrupted' -r
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -l limit -d 'At most this many runs' -r
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from show" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from show" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from show" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from show" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from show" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from logs" -l step -d 'Only the logs of this step' -r
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from logs" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from logs" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from logs" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from logs" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from logs" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from logs" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from logs" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from help" -f -a "list" -d 'Pipelines with their triggers, steps and last run'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check pipeline files (all of pipelines/ when none is named)'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run one pipeline on an event, even if its filters do not match'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from help" -f -a "history" -d 'Past runs, newest first'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from help" -f -a "show" -d 'A run with its steps, attempts, durations, outputs and errors'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from help" -f -a "logs" -d 'The logs of a run'
complete -c mockops -n "__fish_mockops_using_subcommand pipeline; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -f -a "diff" -d 'Structural changes between two versions of a spec (OpenAPI, Swagger or Protobuf)'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -f -a "check" -d 'Compare specs with their last snapshot, or a git revision; emit schema.changed for changed ones'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and not __fish_seen_subcommand_from diff check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -l fail-on -d 'Exit 1 when there are breaking changes (`breaking`) or any change (`any`)' -r -f -a "breaking\t''
any\t''
none\t''"
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -l import-path -d 'Protobuf import path (repeatable)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -l format -d 'Output format: text, table, json, markdown, sarif, github' -r -f -a "text\t''
table\t''
json\t''
markdown\t''
sarif\t'SARIF 2.1.0 (code scanning)'
github\t'GitHub Actions workflow commands (annotations)'"
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -l base -d 'Compare with the same files at this git revision (a branch, tag or commit); stores no snapshot' -r
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -l fail-on -d 'Exit 1 when a spec has breaking changes (`breaking`) or any change (`any`)' -r -f -a "breaking\t''
any\t''
none\t''"
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -l format -d 'Output format: table, text, json, sarif, junit, github' -r -f -a "table\t''
text\t''
json\t''
sarif\t'SARIF 2.1.0 (code scanning)'
junit\t'JUnit XML (test reporters)'
github\t'GitHub Actions workflow commands (annotations)'"
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -l staged -d 'Compare the versions staged in git (with HEAD, or with --base); stores no snapshot'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -l no-run -d 'Emit and dispatch nothing (the snapshot mode still stores the new snapshots)'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Structural changes between two versions of a spec (OpenAPI, Swagger or Protobuf)'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "check" -d 'Compare specs with their last snapshot, or a git revision; emit schema.changed for changed ones'
complete -c mockops -n "__fish_mockops_using_subcommand schema; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand publish" -l env -d 'Environment to publish to (default: the first of `environments`)' -r
complete -c mockops -n "__fish_mockops_using_subcommand publish" -l version -d 'Version to record (default: the next number)' -r
complete -c mockops -n "__fish_mockops_using_subcommand publish" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand publish" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand publish" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand publish" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand publish" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand publish" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand publish" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand publish" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand promote" -l from -d 'Environment to copy from' -r
complete -c mockops -n "__fish_mockops_using_subcommand promote" -l to -d 'Environment to copy to (later in `environments` than --from)' -r
complete -c mockops -n "__fish_mockops_using_subcommand promote" -l comment -d 'Recorded with the promotion and sent in promotion.completed' -r
complete -c mockops -n "__fish_mockops_using_subcommand promote" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand promote" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand promote" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand promote" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand promote" -l force -d 'Allow promoting to an earlier environment'
complete -c mockops -n "__fish_mockops_using_subcommand promote" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand promote" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand promote" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and not __fish_seen_subcommand_from list help" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and not __fish_seen_subcommand_from list help" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and not __fish_seen_subcommand_from list help" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and not __fish_seen_subcommand_from list help" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and not __fish_seen_subcommand_from list help" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and not __fish_seen_subcommand_from list help" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'Promotions, newest first'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from list" -l entity -d 'Only promotions of this entity' -r
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from list" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from list" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from list" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from list" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from help" -f -a "list" -d 'Promotions, newest first'
complete -c mockops -n "__fish_mockops_using_subcommand promotion; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -f -a "list" -d 'Federations with their service counts and active scenario'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -f -a "validate" -d 'Check federation files (all of federations/ when none is named)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -f -a "route" -d 'Resolve a request path to its service'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -f -a "graph" -d 'Draw the dependency graph (mermaid or dot via --format)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -f -a "serve" -d 'Run the local gateway that applies every service\'s reality level'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -f -a "scenario" -d 'Activate, deactivate or show a federation scenario'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and not __fish_seen_subcommand_from list validate route graph serve scenario help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from list" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from list" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from list" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from list" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from validate" -l format -d 'Output format: table, text, json, sarif, github' -r -f -a "table\t''
text\t''
json\t''
sarif\t'SARIF 2.1.0 (code scanning)'
github\t'GitHub Actions workflow commands (annotations)'"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from validate" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from validate" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from validate" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from validate" -l strict -d 'A reality level missing the URL it needs is an error, not a warning'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from validate" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from route" -l federation -d 'Federation name (may be left out when there is only one)' -r
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from route" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from route" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from route" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from route" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from route" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from route" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from route" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from route" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from graph" -l federation -d 'Federation name (may be left out when there is only one)' -r
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from graph" -l format -d 'Output format: text, json, mermaid, dot' -r -f -a "text\t''
json\t''
mermaid\t''
dot\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from graph" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from graph" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from graph" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from graph" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from graph" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from graph" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from graph" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -l listen -d 'Address to listen on: IP:PORT, or localhost:PORT / PORT for 127.0.0.1' -r
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -l federation -d 'Federation name (may be left out when there is only one)' -r
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -l record -d 'Record exchanges in the state file (default)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -l no-record -d 'Do not record exchanges'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -f -a "activate" -d 'Apply a scenario file\'s overrides (a running gateway picks them up)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -f -a "deactivate" -d 'Back to every service\'s own reality level'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -f -a "show" -d 'The active scenario, since when, and its overrides'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from scenario" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from help" -f -a "list" -d 'Federations with their service counts and active scenario'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check federation files (all of federations/ when none is named)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from help" -f -a "route" -d 'Resolve a request path to its service'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from help" -f -a "graph" -d 'Draw the dependency graph (mermaid or dot via --format)'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from help" -f -a "serve" -d 'Run the local gateway that applies every service\'s reality level'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from help" -f -a "scenario" -d 'Activate, deactivate or show a federation scenario'
complete -c mockops -n "__fish_mockops_using_subcommand federation; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -f -a "ingest" -d 'Ingest recorded traffic (HAR or JSON Lines)'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -f -a "report" -d 'Endpoint coverage, scenario heatmap, persona hits, staleness and drift'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and not __fish_seen_subcommand_from ingest report help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -l input-format -d 'The files\' format (default: from each file\'s extension and content)' -r -f -a "har\t''
jsonl\t''
mockforge-jsonl\t''"
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -l scenario -d 'Scenario of exchanges that do not name one' -r
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -l persona -d 'Persona of exchanges that do not name one' -r
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -l ci-run -d 'CI run id of the exchanges (default: from the CI environment)' -r
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from ingest" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -l since -d 'Window: a duration (7d, 36h), an RFC 3339 date, or `all`' -r
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -l service -d 'Only this federation service' -r
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -s o -l output -d 'Write the report to this file instead of stdout' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -l fail-under -d 'Exit 1 when coverage_percent is below this (0 to 100)' -r
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -l format -d 'Output format: table, text, json, markdown, html, junit' -r -f -a "table\t''
text\t''
json\t''
markdown\t''
html\t''
junit\t'JUnit XML (test reporters)'"
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -l check-drift -d 'Emit drift.threshold_exceeded for each exceeded budget'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from help" -f -a "ingest" -d 'Ingest recorded traffic (HAR or JSON Lines)'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from help" -f -a "report" -d 'Endpoint coverage, scenario heatmap, persona hits, staleness and drift'
complete -c mockops -n "__fish_mockops_using_subcommand coverage; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and not __fish_seen_subcommand_from check help" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand drift; and not __fish_seen_subcommand_from check help" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand drift; and not __fish_seen_subcommand_from check help" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand drift; and not __fish_seen_subcommand_from check help" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and not __fish_seen_subcommand_from check help" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and not __fish_seen_subcommand_from check help" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Evaluate the drift budgets; emit drift.threshold_exceeded for each exceeded one'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -l service -d 'Only this federation service' -r
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -l since -d 'Window: a duration (7d, 36h), an RFC 3339 date, or `all`' -r
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -l format -d 'Output format: table, text, json, junit' -r -f -a "table\t''
text\t''
json\t''
junit\t'JUnit XML (test reporters)'"
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -l no-run -d 'Report the verdicts but emit and dispatch nothing'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from help" -f -a "check" -d 'Evaluate the drift budgets; emit drift.threshold_exceeded for each exceeded one'
complete -c mockops -n "__fish_mockops_using_subcommand drift; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -f -a "install" -d 'Write <hook> where git runs hooks, calling `mockops hook run <hook>` (default: pre-commit)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -f -a "uninstall" -d 'Remove mockops\'s hooks (default: every one), restoring the hooks they chained'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -f -a "run" -d 'What the installed hook runs; FILE... checks exactly those files (pre-commit framework)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and not __fish_seen_subcommand_from install uninstall run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from install" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from install" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from install" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from install" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from install" -l force -d 'Replace an existing hook that is not mockops\'s instead of chaining it, and write even where another hook manager owns the hooks'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from install" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from install" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from uninstall" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from run" -l format -d 'Output format: table, text, json, sarif, github' -r -f -a "table\t''
text\t''
json\t''
sarif\t'SARIF 2.1.0 (code scanning)'
github\t'GitHub Actions workflow commands (annotations)'"
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from run" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from run" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from run" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from run" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "install" -d 'Write <hook> where git runs hooks, calling `mockops hook run <hook>` (default: pre-commit)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "uninstall" -d 'Remove mockops\'s hooks (default: every one), restoring the hooks they chained'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "run" -d 'What the installed hook runs; FILE... checks exactly those files (pre-commit framework)'
complete -c mockops -n "__fish_mockops_using_subcommand hook; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -f -a "status" -d 'Which backend holds the state, its schema version and the rows of each table'
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -f -a "migrate" -d 'Copy a local SQLite state into PostgreSQL (running it again adds nothing)'
complete -c mockops -n "__fish_mockops_using_subcommand state; and not __fish_seen_subcommand_from status migrate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from status" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from status" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from status" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from status" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from status" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -l to -d 'The PostgreSQL database to copy into (postgres://user@host/db; the password from PGPASSWORD)' -r
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -l from -d 'The SQLite file to copy (default: the project\'s state file)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from help" -f -a "status" -d 'Which backend holds the state, its schema version and the rows of each table'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from help" -f -a "migrate" -d 'Copy a local SQLite state into PostgreSQL (running it again adds nothing)'
complete -c mockops -n "__fish_mockops_using_subcommand state; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand watch" -l debounce -d 'Quiet time before a change is acted on (default: watch.debounce_ms, 100ms)' -r
complete -c mockops -n "__fish_mockops_using_subcommand watch" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand watch" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand watch" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand watch" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand watch" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand watch" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand watch" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand completions" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand completions" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand completions" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand completions" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand completions" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand completions" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand json-schema" -l format -d 'Output format: table, text, json' -r -f -a "table\t''
text\t''
json\t''"
complete -c mockops -n "__fish_mockops_using_subcommand json-schema" -l project -d 'Project root (default: MOCKOPS_PROJECT, else the nearest folder with mockops.yaml, pipelines/ or .mockops/)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand json-schema" -l state -d 'State: an SQLite file or a postgres:// URL (default: MOCKOPS_STATE, else mockops.yaml\'s state, else <root>/.mockops/state.db)' -r -F
complete -c mockops -n "__fish_mockops_using_subcommand json-schema" -l color -d 'Colour messages: auto (on a terminal, unless NO_COLOR is set or TERM=dumb), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set or TERM is `dumb`'
always\t''
never\t''"
complete -c mockops -n "__fish_mockops_using_subcommand json-schema" -s v -l verbose -d 'Debug logs on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand json-schema" -s q -l quiet -d 'Errors only on stderr'
complete -c mockops -n "__fish_mockops_using_subcommand json-schema" -l no-color -d 'No colour (the same as --color never)'
complete -c mockops -n "__fish_mockops_using_subcommand json-schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "init" -d 'Create mockops.yaml, an example pipeline and federation, and the state file'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "demo" -d 'The closed loop in a throwaway project: gateway, traffic, coverage, drift, pull request, webhook'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "event" -d 'Emit, list, show and replay events; dead letters'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "pipeline" -d 'List, validate, run and inspect pipelines'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "schema" -d 'Structural diffs of specs; snapshot checks that emit schema.changed'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "publish" -d 'Publish a scenario or persona: record a version, copy it to an environment'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "promote" -d 'Promote a scenario, persona or config to the next environment'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "promotion" -d 'Promotions recorded'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "federation" -d 'Federations: validate, route, graph, serve the gateway, scenarios'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "coverage" -d 'Ingest traffic; coverage and drift reports'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "drift" -d 'Drift budgets'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "hook" -d 'Git hooks: install, uninstall, run'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "state" -d 'The state: backend, schema and row counts; copy a local state into PostgreSQL'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "watch" -d 'Watch specs and definitions; run what their changes trigger'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "completions" -d 'Print shell completions'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "json-schema" -d 'Print the JSON Schema of pipeline, federation, scenario or config (mockops.yaml) files'
complete -c mockops -n "__fish_mockops_using_subcommand help; and not __fish_seen_subcommand_from init demo event pipeline schema publish promote promotion federation coverage drift hook state watch completions json-schema help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "emit" -d 'Emit an event and dispatch it to every matching pipeline'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "list" -d 'List events, newest first'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "show" -d 'Show an event with the runs it caused and its child events'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "replay" -d 'Dispatch a copy of an event as a new chain'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "dead-letters" -d 'Deliveries that failed for good'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "redeliver" -d 'Send a dead letter again (target and credentials rendered afresh)'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from pipeline" -f -a "list" -d 'Pipelines with their triggers, steps and last run'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from pipeline" -f -a "validate" -d 'Check pipeline files (all of pipelines/ when none is named)'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from pipeline" -f -a "run" -d 'Run one pipeline on an event, even if its filters do not match'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from pipeline" -f -a "history" -d 'Past runs, newest first'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from pipeline" -f -a "show" -d 'A run with its steps, attempts, durations, outputs and errors'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from pipeline" -f -a "logs" -d 'The logs of a run'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from schema" -f -a "diff" -d 'Structural changes between two versions of a spec (OpenAPI, Swagger or Protobuf)'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from schema" -f -a "check" -d 'Compare specs with their last snapshot, or a git revision; emit schema.changed for changed ones'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from promotion" -f -a "list" -d 'Promotions, newest first'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from federation" -f -a "list" -d 'Federations with their service counts and active scenario'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from federation" -f -a "validate" -d 'Check federation files (all of federations/ when none is named)'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from federation" -f -a "route" -d 'Resolve a request path to its service'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from federation" -f -a "graph" -d 'Draw the dependency graph (mermaid or dot via --format)'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from federation" -f -a "serve" -d 'Run the local gateway that applies every service\'s reality level'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from federation" -f -a "scenario" -d 'Activate, deactivate or show a federation scenario'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from coverage" -f -a "ingest" -d 'Ingest recorded traffic (HAR or JSON Lines)'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from coverage" -f -a "report" -d 'Endpoint coverage, scenario heatmap, persona hits, staleness and drift'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from drift" -f -a "check" -d 'Evaluate the drift budgets; emit drift.threshold_exceeded for each exceeded one'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "install" -d 'Write <hook> where git runs hooks, calling `mockops hook run <hook>` (default: pre-commit)'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "uninstall" -d 'Remove mockops\'s hooks (default: every one), restoring the hooks they chained'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from hook" -f -a "run" -d 'What the installed hook runs; FILE... checks exactly those files (pre-commit framework)'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from state" -f -a "status" -d 'Which backend holds the state, its schema version and the rows of each table'
complete -c mockops -n "__fish_mockops_using_subcommand help; and __fish_seen_subcommand_from state" -f -a "migrate" -d 'Copy a local SQLite state into PostgreSQL (running it again adds nothing)'
