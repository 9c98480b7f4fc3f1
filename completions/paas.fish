# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_paas_global_optspecs
    string join \n C/directory= output= color= q/quiet v/verbose y/yes config= no-config pack-path= h/help V/version
end

function __fish_paas_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_paas_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_paas_using_subcommand
    set -l cmd (__fish_paas_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c paas -n "__fish_paas_needs_command" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_needs_command" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_needs_command" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_needs_command" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_needs_command" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_needs_command" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_needs_command" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_needs_command" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_needs_command" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_needs_command" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_needs_command" -f -a "init" -d 'Detect the project type and write a Dockerfile, paas.toml and Kubernetes manifests'
complete -c paas -n "__fish_paas_needs_command" -f -a "detect" -d 'Show which pack fits the project, and why'
complete -c paas -n "__fish_paas_needs_command" -f -a "render" -d 'Render the manifests under `deploy/` with the values of `paas.toml`'
complete -c paas -n "__fish_paas_needs_command" -f -a "up" -d 'Build, push and deploy the app, then wait until it runs'
complete -c paas -n "__fish_paas_needs_command" -f -a "diff" -d 'Show what `paas up` would change in the cluster, as a unified diff'
complete -c paas -n "__fish_paas_needs_command" -f -a "logs" -d 'Stream the logs of every pod and container of the app'
complete -c paas -n "__fish_paas_needs_command" -f -a "status" -d 'Show whether the app is healthy: rollout, pods, warnings, addresses, usage'
complete -c paas -n "__fish_paas_needs_command" -f -a "domains" -d 'Say which DNS records to create for the app\'s hosts, and check DNS and certificates'
complete -c paas -n "__fish_paas_needs_command" -f -a "history" -d 'List the app\'s releases: revision, time, who, git commit, image, outcome'
complete -c paas -n "__fish_paas_needs_command" -f -a "scale" -d 'Set the number of replicas, or the autoscaling bounds'
complete -c paas -n "__fish_paas_needs_command" -f -a "rollback" -d 'Put an earlier release back, as a whole, and wait until it runs'
complete -c paas -n "__fish_paas_needs_command" -f -a "promote" -d 'Deploy the image of an environment\'s release to another environment, building nothing'
complete -c paas -n "__fish_paas_needs_command" -f -a "secret" -d 'Set, unset or list the app\'s secrets: environment variables kept in a Kubernetes Secret'
complete -c paas -n "__fish_paas_needs_command" -f -a "down" -d 'Delete everything the app owns in the environment'
complete -c paas -n "__fish_paas_needs_command" -f -a "add" -d 'Declare a component (redis, postgres, mongodb) in paas.toml'
complete -c paas -n "__fish_paas_needs_command" -f -a "remove" -d 'Remove a component from paas.toml; its volume and password stay unless `--delete-data`'
complete -c paas -n "__fish_paas_needs_command" -f -a "backup" -d 'Dump a component\'s data to a local file, with its SHA-256 beside it'
complete -c paas -n "__fish_paas_needs_command" -f -a "restore" -d 'Replace a component\'s data with a file made by `paas backup`'
complete -c paas -n "__fish_paas_needs_command" -f -a "access" -d 'Who may call whom: the access rules of every app in the namespace'
complete -c paas -n "__fish_paas_needs_command" -f -a "ci" -d 'Write a CI pipeline that deploys the app on every push to the main branch'
complete -c paas -n "__fish_paas_needs_command" -f -a "packs" -d 'List or show the packs paas knows'
complete -c paas -n "__fish_paas_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c paas -n "__fish_paas_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paas -n "__fish_paas_using_subcommand init" -l pack -d 'Use this pack instead of the detected one' -r
complete -c paas -n "__fish_paas_using_subcommand init" -l project -d 'The .NET project to use when a solution has several web projects (path or name)' -r
complete -c paas -n "__fish_paas_using_subcommand init" -l name -d 'The app name, a DNS label such as `shop-web` (default: from the project)' -r
complete -c paas -n "__fish_paas_using_subcommand init" -l port -d 'The port the app listens on in the container (default: the pack\'s, 8080)' -r
complete -c paas -n "__fish_paas_using_subcommand init" -l registry -d 'Where images are pushed, such as `registry.example.com/team`' -r
complete -c paas -n "__fish_paas_using_subcommand init" -l host -d 'The public host name; writes an Ingress for it' -r
complete -c paas -n "__fish_paas_using_subcommand init" -l replicas -d 'The number of replicas (2 or more also writes a `PodDisruptionBudget`)' -r
complete -c paas -n "__fish_paas_using_subcommand init" -l set -d 'Set a pack variable, such as `base_image=registry.corp/nginx:1.27` (can be repeated)' -r
complete -c paas -n "__fish_paas_using_subcommand init" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand init" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand init" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand init" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand init" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand init" -l force -d 'Overwrite files that already exist'
complete -c paas -n "__fish_paas_using_subcommand init" -l dry-run -d 'Print what would be written, and write nothing'
complete -c paas -n "__fish_paas_using_subcommand init" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand init" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand init" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand init" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand init" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand detect" -l pack -d 'Use this pack instead of the detected one' -r
complete -c paas -n "__fish_paas_using_subcommand detect" -l project -d 'The .NET project to use when a solution has several web projects (path or name)' -r
complete -c paas -n "__fish_paas_using_subcommand detect" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand detect" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand detect" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand detect" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand detect" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand detect" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand detect" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand detect" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand detect" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand detect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand detect" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand render" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand render" -s n -l namespace -d 'The namespace to put in the manifests (default: the environment\'s, then none)' -r
complete -c paas -n "__fish_paas_using_subcommand render" -l image -d 'The image to deploy (default: `<registry>/<name>:<git commit>`)' -r
complete -c paas -n "__fish_paas_using_subcommand render" -s o -l out-dir -d 'Write one file per manifest into DIR instead of printing them' -r -F
complete -c paas -n "__fish_paas_using_subcommand render" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand render" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand render" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand render" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand render" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand render" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand render" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand render" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand render" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand render" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand up" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand up" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand up" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand up" -l timeout -d 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`' -r
complete -c paas -n "__fish_paas_using_subcommand up" -l backup-dir -d 'Where `--major` keeps the dumps (default: `$XDG_DATA_HOME/paas/backups`, else `~/.local/share/paas/backups`)' -r -F
complete -c paas -n "__fish_paas_using_subcommand up" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand up" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand up" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand up" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand up" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand up" -l atomic -d 'When the rollout fails, put the last good release back (the exit code still says it failed)'
complete -c paas -n "__fish_paas_using_subcommand up" -l force-conflicts -d 'Take over fields that another tool (kubectl, an operator) set on the app\'s objects'
complete -c paas -n "__fish_paas_using_subcommand up" -l dry-run -d 'Show what would change (as `paas diff`), and build, push and apply nothing'
complete -c paas -n "__fish_paas_using_subcommand up" -l major -d 'Move a component to a new major version: back its data up, start the new version on a new volume, restore the data into it, then roll the app out (the old volume and the dump are kept)'
complete -c paas -n "__fish_paas_using_subcommand up" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand up" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand up" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand up" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand up" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand diff" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand diff" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand diff" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand diff" -l image -d 'The image to compare with (default: the live release\'s image; nothing is built)' -r
complete -c paas -n "__fish_paas_using_subcommand diff" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand diff" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand diff" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand diff" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand diff" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand diff" -l exit-code -d 'Exit with 1 when something would change (as `git diff --exit-code`)'
complete -c paas -n "__fish_paas_using_subcommand diff" -l force-conflicts -d 'Compare as if `--force-conflicts` were given to `paas up`'
complete -c paas -n "__fish_paas_using_subcommand diff" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand diff" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand diff" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand diff" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand diff" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand logs" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -l since -d 'Only lines newer than this, such as `30s`, `10m` or `1h30m`' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -l tail -d 'The last N lines of each container (default: every line; with `--follow`, 10)' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -s c -l container -d 'Only this container (default: every container of every pod)' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -l component -d 'The logs of component NAME (`[components.NAME]`) instead of the app\'s own pods' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -l grep -d 'Only lines matching this regular expression' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -l pod-timeout -d 'How long to wait for a first pod when none runs yet' -r
complete -c paas -n "__fish_paas_using_subcommand logs" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand logs" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand logs" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand logs" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand logs" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand logs" -s f -l follow -d 'Keep streaming: new lines, and the pods that start later'
complete -c paas -n "__fish_paas_using_subcommand logs" -s p -l previous -d 'The logs of the previous, crashed instance of each container'
complete -c paas -n "__fish_paas_using_subcommand logs" -l timestamps -d 'Prefix each line with the time the cluster received it'
complete -c paas -n "__fish_paas_using_subcommand logs" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand logs" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand logs" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand logs" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand logs" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand status" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand status" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand status" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand status" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand status" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand status" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand status" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand status" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand status" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand status" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand status" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand status" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand status" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand status" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand domains" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand domains" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand domains" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand domains" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand domains" -l timeout -d 'How long `--wait` waits, such as `90s`, `10m` or `1h`' -r
complete -c paas -n "__fish_paas_using_subcommand domains" -l resolver -d 'A DNS resolver to compare, as `IP` or `IP:PORT` (repeat, or separate with commas)' -r
complete -c paas -n "__fish_paas_using_subcommand domains" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand domains" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand domains" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand domains" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand domains" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand domains" -l wait -d 'Check again until every host is ok and every certificate ready'
complete -c paas -n "__fish_paas_using_subcommand domains" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand domains" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand domains" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand domains" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand domains" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand domains" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand history" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand history" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand history" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand history" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand history" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand history" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand history" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand history" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand history" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand history" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand history" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand history" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand history" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand history" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand scale" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand scale" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand scale" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand scale" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand scale" -l min -d 'The fewest replicas the autoscaler may run' -r
complete -c paas -n "__fish_paas_using_subcommand scale" -l max -d 'The most replicas the autoscaler may run' -r
complete -c paas -n "__fish_paas_using_subcommand scale" -l cpu -d 'The average CPU use, in percent of the request, the autoscaler aims at' -r
complete -c paas -n "__fish_paas_using_subcommand scale" -l timeout -d 'How long to wait until the replicas run, such as `90s`, `5m` or `1h30m`' -r
complete -c paas -n "__fish_paas_using_subcommand scale" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand scale" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand scale" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand scale" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand scale" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand scale" -l no-wait -d 'Change the count and do not wait for the pods'
complete -c paas -n "__fish_paas_using_subcommand scale" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand scale" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand scale" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand scale" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand scale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand scale" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand rollback" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand rollback" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand rollback" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand rollback" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand rollback" -l to -d 'The revision to put back, as `paas history` lists it (default: the one before the live one)' -r
complete -c paas -n "__fish_paas_using_subcommand rollback" -l timeout -d 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`' -r
complete -c paas -n "__fish_paas_using_subcommand rollback" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand rollback" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand rollback" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand rollback" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand rollback" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand rollback" -l atomic -d 'When the rollback fails, put the release that was live back'
complete -c paas -n "__fish_paas_using_subcommand rollback" -l dry-run -d 'Show what would change, and change nothing'
complete -c paas -n "__fish_paas_using_subcommand rollback" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand rollback" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand rollback" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand rollback" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand rollback" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand promote" -l from -d 'The environment whose release is promoted (`[env.NAME]` in `paas.toml`)' -r
complete -c paas -n "__fish_paas_using_subcommand promote" -l to -d 'The environment it is deployed to, with that environment\'s values' -r
complete -c paas -n "__fish_paas_using_subcommand promote" -l revision -d 'The release of `--from` to promote, as `paas history --env ENV` lists it (default: its live release)' -r
complete -c paas -n "__fish_paas_using_subcommand promote" -l timeout -d 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`' -r
complete -c paas -n "__fish_paas_using_subcommand promote" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand promote" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand promote" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand promote" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand promote" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand promote" -l atomic -d 'When the rollout fails, put the last good release of `--to` back (the exit code still says it failed)'
complete -c paas -n "__fish_paas_using_subcommand promote" -l force-conflicts -d 'Take over fields that another tool (kubectl, an operator) set on the app\'s objects'
complete -c paas -n "__fish_paas_using_subcommand promote" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand promote" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand promote" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand promote" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand promote" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -f -a "set" -d 'Set a secret, and roll the app\'s pods out with it'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -f -a "unset" -d 'Remove a secret, and roll the app\'s pods out without it'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -f -a "list" -d 'List the secrets: each key, a digest of its value, and when it changed'
complete -c paas -n "__fish_paas_using_subcommand secret; and not __fish_seen_subcommand_from set unset list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -l timeout -d 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -l no-rollout -d 'Change the Secret only: the pods keep the old values until the next `paas up`'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -l timeout -d 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -l no-rollout -d 'Change the Secret only: the pods keep the old values until the next `paas up`'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from unset" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set a secret, and roll the app\'s pods out with it'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "unset" -d 'Remove a secret, and roll the app\'s pods out without it'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the secrets: each key, a digest of its value, and when it changed'
complete -c paas -n "__fish_paas_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paas -n "__fish_paas_using_subcommand down" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand down" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand down" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand down" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand down" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand down" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand down" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand down" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand down" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand down" -l volumes -d 'Also delete the app\'s volumes (persistent volume claims) and the data on them, the components\' passwords and the app\'s Secret (`paas secret`)'
complete -c paas -n "__fish_paas_using_subcommand down" -l keep-history -d 'Keep the release records, so that `paas history` still lists them'
complete -c paas -n "__fish_paas_using_subcommand down" -l dry-run -d 'List what would be deleted, and delete nothing'
complete -c paas -n "__fish_paas_using_subcommand down" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand down" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand down" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand down" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand down" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand add" -l name -d 'The component\'s name, a DNS label; its objects are named `<app>-<name>` (default: the kind)' -r
complete -c paas -n "__fish_paas_using_subcommand add" -l version -d 'The version from the catalog, such as `17` or `7.4` (default: the catalog\'s default)' -r
complete -c paas -n "__fish_paas_using_subcommand add" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand add" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand add" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand add" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand add" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand add" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand add" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand add" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand add" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand remove" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand remove" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand remove" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand remove" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand remove" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand remove" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand remove" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand remove" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand remove" -l delete-data -d 'Also delete its volumes and password now, and its objects (the data is gone for good)'
complete -c paas -n "__fish_paas_using_subcommand remove" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand remove" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand remove" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand remove" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand remove" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand backup" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand backup" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand backup" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand backup" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand backup" -s o -l out-file -d 'The file to write (default: `<app>-<NAME>-<UTC time>.<rdb|pgdump|archive>` here)' -r -F
complete -c paas -n "__fish_paas_using_subcommand backup" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand backup" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand backup" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand backup" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand backup" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand backup" -l force -d 'Replace FILE if it exists'
complete -c paas -n "__fish_paas_using_subcommand backup" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand backup" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand backup" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand backup" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand backup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand backup" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand restore" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand restore" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand restore" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand restore" -l app -d 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)' -r
complete -c paas -n "__fish_paas_using_subcommand restore" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand restore" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand restore" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand restore" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand restore" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand restore" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand restore" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand restore" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand restore" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand restore" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Prove on the cluster that the access rules hold, with short-lived probe pods'
complete -c paas -n "__fish_paas_using_subcommand access; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -s e -l env -d 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)' -r
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -s n -l namespace -d 'The namespace to deploy into (default: the environment\'s, then the kube context\'s)' -r
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l context -d 'The kube context to use (default: the environment\'s, then the current one)' -r
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l image -d 'The probe image: a busybox (its `httpd` answers, its `nc` calls); a company mirror of it' -r
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l timeout -d 'How long the probe pods may take to start' -r
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l settle -d 'How long the policy enforcer may take to act on the new pods before a call that goes against the rules counts' -r
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l strict -d 'Exit 1 when the cluster does not enforce `NetworkPolicy` at all (default: a warning)'
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from help" -f -a "check" -d 'Prove on the cluster that the access rules hold, with short-lived probe pods'
complete -c paas -n "__fish_paas_using_subcommand access; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paas -n "__fish_paas_using_subcommand ci" -s e -l env -d 'An environment of `paas.toml` to deploy, in order (repeat: `--env staging --env prod`)' -r
complete -c paas -n "__fish_paas_using_subcommand ci" -l branch -d 'The branch whose pushes deploy (default: the repository\'s default branch, else `main`)' -r
complete -c paas -n "__fish_paas_using_subcommand ci" -l oidc-audience -d 'The audience of the OIDC token, as the cluster\'s authenticator expects it' -r
complete -c paas -n "__fish_paas_using_subcommand ci" -l install-url -d 'The git URL of paas\'s sources the pipeline installs from (with their `install.sh`)' -r
complete -c paas -n "__fish_paas_using_subcommand ci" -l install-command -d 'A shell command that installs paas on the CI machine and puts it on PATH, instead of `install.sh`' -r
complete -c paas -n "__fish_paas_using_subcommand ci" -l token-duration -d 'How long the printed `ServiceAccount` tokens stay valid (`kubectl create token --duration`)' -r
complete -c paas -n "__fish_paas_using_subcommand ci" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand ci" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand ci" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand ci" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand ci" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand ci" -l oidc -d 'Authenticate to the cluster with the CI\'s OIDC identity token instead of a kubeconfig secret'
complete -c paas -n "__fish_paas_using_subcommand ci" -l force -d 'Replace the file when it exists'
complete -c paas -n "__fish_paas_using_subcommand ci" -l dry-run -d 'Print the file on stdout and write nothing'
complete -c paas -n "__fish_paas_using_subcommand ci" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand ci" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand ci" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand ci" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand ci" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand ci" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -f -a "list" -d 'List the bundled packs and the company packs on the pack path'
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -f -a "show" -d 'Show a pack: what it detects, its variables and the files it writes'
complete -c paas -n "__fish_paas_using_subcommand packs; and not __fish_seen_subcommand_from list show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the bundled packs and the company packs on the pack path'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a pack: what it detects, its variables and the files it writes'
complete -c paas -n "__fish_paas_using_subcommand packs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paas -n "__fish_paas_using_subcommand completions" -s C -l directory -d 'Run as if paas was started in DIR' -r -F
complete -c paas -n "__fish_paas_using_subcommand completions" -l output -d 'How to print results: `text` for people, `json` for programs' -r -f -a "text\t'Text for people'
json\t'One JSON document for programs'"
complete -c paas -n "__fish_paas_using_subcommand completions" -l color -d 'When to use colors (`NO_COLOR` is honoured)' -r -f -a "auto\t'Color when writing to a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c paas -n "__fish_paas_using_subcommand completions" -l config -d 'Read user settings from FILE instead of `~/.config/paas/config.toml`' -r -F
complete -c paas -n "__fish_paas_using_subcommand completions" -l pack-path -d 'Look for company packs in DIR before the bundled ones (can be repeated)' -r -F
complete -c paas -n "__fish_paas_using_subcommand completions" -s q -l quiet -d 'Print only errors and data'
complete -c paas -n "__fish_paas_using_subcommand completions" -s v -l verbose -d 'Print more about what is being done'
complete -c paas -n "__fish_paas_using_subcommand completions" -s y -l yes -d 'Answer yes to every question (when not on a terminal nothing is asked)'
complete -c paas -n "__fish_paas_using_subcommand completions" -l no-config -d 'Read no user settings file'
complete -c paas -n "__fish_paas_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c paas -n "__fish_paas_using_subcommand completions" -s V -l version -d 'Print version'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "init" -d 'Detect the project type and write a Dockerfile, paas.toml and Kubernetes manifests'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "detect" -d 'Show which pack fits the project, and why'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "render" -d 'Render the manifests under `deploy/` with the values of `paas.toml`'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "up" -d 'Build, push and deploy the app, then wait until it runs'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "diff" -d 'Show what `paas up` would change in the cluster, as a unified diff'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "logs" -d 'Stream the logs of every pod and container of the app'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "status" -d 'Show whether the app is healthy: rollout, pods, warnings, addresses, usage'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "domains" -d 'Say which DNS records to create for the app\'s hosts, and check DNS and certificates'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "history" -d 'List the app\'s releases: revision, time, who, git commit, image, outcome'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "scale" -d 'Set the number of replicas, or the autoscaling bounds'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "rollback" -d 'Put an earlier release back, as a whole, and wait until it runs'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "promote" -d 'Deploy the image of an environment\'s release to another environment, building nothing'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "secret" -d 'Set, unset or list the app\'s secrets: environment variables kept in a Kubernetes Secret'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "down" -d 'Delete everything the app owns in the environment'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "add" -d 'Declare a component (redis, postgres, mongodb) in paas.toml'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "remove" -d 'Remove a component from paas.toml; its volume and password stay unless `--delete-data`'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "backup" -d 'Dump a component\'s data to a local file, with its SHA-256 beside it'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "restore" -d 'Replace a component\'s data with a file made by `paas backup`'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "access" -d 'Who may call whom: the access rules of every app in the namespace'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "ci" -d 'Write a CI pipeline that deploys the app on every push to the main branch'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "packs" -d 'List or show the packs paas knows'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "completions" -d 'Print shell completions'
complete -c paas -n "__fish_paas_using_subcommand help; and not __fish_seen_subcommand_from init detect render up diff logs status domains history scale rollback promote secret down add remove backup restore access ci packs completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c paas -n "__fish_paas_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "set" -d 'Set a secret, and roll the app\'s pods out with it'
complete -c paas -n "__fish_paas_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "unset" -d 'Remove a secret, and roll the app\'s pods out without it'
complete -c paas -n "__fish_paas_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "list" -d 'List the secrets: each key, a digest of its value, and when it changed'
complete -c paas -n "__fish_paas_using_subcommand help; and __fish_seen_subcommand_from access" -f -a "check" -d 'Prove on the cluster that the access rules hold, with short-lived probe pods'
complete -c paas -n "__fish_paas_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "list" -d 'List the bundled packs and the company packs on the pack path'
complete -c paas -n "__fish_paas_using_subcommand help; and __fish_seen_subcommand_from packs" -f -a "show" -d 'Show a pack: what it detects, its variables and the files it writes'
