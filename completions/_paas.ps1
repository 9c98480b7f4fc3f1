
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'paas' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'paas'
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
        'paas' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Detect the project type and write a Dockerfile, paas.toml and Kubernetes manifests')
            [CompletionResult]::new('detect', 'detect', [CompletionResultType]::ParameterValue, 'Show which pack fits the project, and why')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render the manifests under `deploy/` with the values of `paas.toml`')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Build, push and deploy the app, then wait until it runs')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what `paas up` would change in the cluster, as a unified diff')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Stream the logs of every pod and container of the app')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show whether the app is healthy: rollout, pods, warnings, addresses, usage')
            [CompletionResult]::new('domains', 'domains', [CompletionResultType]::ParameterValue, 'Say which DNS records to create for the app''s hosts, and check DNS and certificates')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List the app''s releases: revision, time, who, git commit, image, outcome')
            [CompletionResult]::new('scale', 'scale', [CompletionResultType]::ParameterValue, 'Set the number of replicas, or the autoscaling bounds')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Put an earlier release back, as a whole, and wait until it runs')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Deploy the image of an environment''s release to another environment, building nothing')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Set, unset or list the app''s secrets: environment variables kept in a Kubernetes Secret')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Delete everything the app owns in the environment')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare a component (redis, postgres, mongodb) in paas.toml')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a component from paas.toml; its volume and password stay unless `--delete-data`')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Dump a component''s data to a local file, with its SHA-256 beside it')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Replace a component''s data with a file made by `paas backup`')
            [CompletionResult]::new('access', 'access', [CompletionResultType]::ParameterValue, 'Who may call whom: the access rules of every app in the namespace')
            [CompletionResult]::new('ci', 'ci', [CompletionResultType]::ParameterValue, 'Write a CI pipeline that deploys the app on every push to the main branch')
            [CompletionResult]::new('packs', 'packs', [CompletionResultType]::ParameterValue, 'List or show the packs paas knows')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paas;init' {
            [CompletionResult]::new('--pack', '--pack', [CompletionResultType]::ParameterName, 'Use this pack instead of the detected one')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The .NET project to use when a solution has several web projects (path or name)')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The app name, a DNS label such as `shop-web` (default: from the project)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'The port the app listens on in the container (default: the pack''s, 8080)')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Where images are pushed, such as `registry.example.com/team`')
            [CompletionResult]::new('--host', '--host', [CompletionResultType]::ParameterName, 'The public host name; writes an Ingress for it')
            [CompletionResult]::new('--replicas', '--replicas', [CompletionResultType]::ParameterName, 'The number of replicas (2 or more also writes a `PodDisruptionBudget`)')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a pack variable, such as `base_image=registry.corp/nginx:1.27` (can be repeated)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite files that already exist')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be written, and write nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;detect' {
            [CompletionResult]::new('--pack', '--pack', [CompletionResultType]::ParameterName, 'Use this pack instead of the detected one')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'The .NET project to use when a solution has several web projects (path or name)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;render' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to put in the manifests (default: the environment''s, then none)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to put in the manifests (default: the environment''s, then none)')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'The image to deploy (default: `<registry>/<name>:<git commit>`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write one file per manifest into DIR instead of printing them')
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write one file per manifest into DIR instead of printing them')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;up' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`')
            [CompletionResult]::new('--backup-dir', '--backup-dir', [CompletionResultType]::ParameterName, 'Where `--major` keeps the dumps (default: `$XDG_DATA_HOME/paas/backups`, else `~/.local/share/paas/backups`)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--atomic', '--atomic', [CompletionResultType]::ParameterName, 'When the rollout fails, put the last good release back (the exit code still says it failed)')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields that another tool (kubectl, an operator) set on the app''s objects')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change (as `paas diff`), and build, push and apply nothing')
            [CompletionResult]::new('--major', '--major', [CompletionResultType]::ParameterName, 'Move a component to a new major version: back its data up, start the new version on a new volume, restore the data into it, then roll the app out (the old volume and the dump are kept)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;diff' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'The image to compare with (default: the live release''s image; nothing is built)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with 1 when something would change (as `git diff --exit-code`)')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Compare as if `--force-conflicts` were given to `paas up`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;logs' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only lines newer than this, such as `30s`, `10m` or `1h30m`')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'The last N lines of each container (default: every line; with `--follow`, 10)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Only this container (default: every container of every pod)')
            [CompletionResult]::new('--container', '--container', [CompletionResultType]::ParameterName, 'Only this container (default: every container of every pod)')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'The logs of component NAME (`[components.NAME]`) instead of the app''s own pods')
            [CompletionResult]::new('--grep', '--grep', [CompletionResultType]::ParameterName, 'Only lines matching this regular expression')
            [CompletionResult]::new('--pod-timeout', '--pod-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a first pod when none runs yet')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep streaming: new lines, and the pods that start later')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep streaming: new lines, and the pods that start later')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The logs of the previous, crashed instance of each container')
            [CompletionResult]::new('--previous', '--previous', [CompletionResultType]::ParameterName, 'The logs of the previous, crashed instance of each container')
            [CompletionResult]::new('--timestamps', '--timestamps', [CompletionResultType]::ParameterName, 'Prefix each line with the time the cluster received it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;status' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;domains' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long `--wait` waits, such as `90s`, `10m` or `1h`')
            [CompletionResult]::new('--resolver', '--resolver', [CompletionResultType]::ParameterName, 'A DNS resolver to compare, as `IP` or `IP:PORT` (repeat, or separate with commas)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Check again until every host is ok and every certificate ready')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;history' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;scale' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('--min', '--min', [CompletionResultType]::ParameterName, 'The fewest replicas the autoscaler may run')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'The most replicas the autoscaler may run')
            [CompletionResult]::new('--cpu', '--cpu', [CompletionResultType]::ParameterName, 'The average CPU use, in percent of the request, the autoscaler aims at')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait until the replicas run, such as `90s`, `5m` or `1h30m`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--no-wait', '--no-wait', [CompletionResultType]::ParameterName, 'Change the count and do not wait for the pods')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;rollback' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The revision to put back, as `paas history` lists it (default: the one before the live one)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--atomic', '--atomic', [CompletionResultType]::ParameterName, 'When the rollback fails, put the release that was live back')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change, and change nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;promote' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The environment whose release is promoted (`[env.NAME]` in `paas.toml`)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The environment it is deployed to, with that environment''s values')
            [CompletionResult]::new('--revision', '--revision', [CompletionResultType]::ParameterName, 'The release of `--from` to promote, as `paas history --env ENV` lists it (default: its live release)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--atomic', '--atomic', [CompletionResultType]::ParameterName, 'When the rollout fails, put the last good release of `--to` back (the exit code still says it failed)')
            [CompletionResult]::new('--force-conflicts', '--force-conflicts', [CompletionResultType]::ParameterName, 'Take over fields that another tool (kubectl, an operator) set on the app''s objects')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;secret' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a secret, and roll the app''s pods out with it')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a secret, and roll the app''s pods out without it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the secrets: each key, a digest of its value, and when it changed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paas;secret;set' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--no-rollout', '--no-rollout', [CompletionResultType]::ParameterName, 'Change the Secret only: the pods keep the old values until the next `paas up`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;secret;unset' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for the rollout, such as `90s`, `5m` or `1h30m`')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--no-rollout', '--no-rollout', [CompletionResultType]::ParameterName, 'Change the Secret only: the pods keep the old values until the next `paas up`')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;secret;list' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;secret;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a secret, and roll the app''s pods out with it')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a secret, and roll the app''s pods out without it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the secrets: each key, a digest of its value, and when it changed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paas;secret;help;set' {
            break
        }
        'paas;secret;help;unset' {
            break
        }
        'paas;secret;help;list' {
            break
        }
        'paas;secret;help;help' {
            break
        }
        'paas;down' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--volumes', '--volumes', [CompletionResultType]::ParameterName, 'Also delete the app''s volumes (persistent volume claims) and the data on them, the components'' passwords and the app''s Secret (`paas secret`)')
            [CompletionResult]::new('--keep-history', '--keep-history', [CompletionResultType]::ParameterName, 'Keep the release records, so that `paas history` still lists them')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List what would be deleted, and delete nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;add' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The component''s name, a DNS label; its objects are named `<app>-<name>` (default: the kind)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The version from the catalog, such as `17` or `7.4` (default: the catalog''s default)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'paas;remove' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--delete-data', '--delete-data', [CompletionResultType]::ParameterName, 'Also delete its volumes and password now, and its objects (the data is gone for good)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;backup' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'The file to write (default: `<app>-<NAME>-<UTC time>.<rdb|pgdump|archive>` here)')
            [CompletionResult]::new('--out-file', '--out-file', [CompletionResultType]::ParameterName, 'The file to write (default: `<app>-<NAME>-<UTC time>.<rdb|pgdump|archive>` here)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;restore' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--app', '--app', [CompletionResultType]::ParameterName, 'The app (default: `[app] name` in `paas.toml`; with it, no project is needed)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;access' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Prove on the cluster that the access rules hold, with short-lived probe pods')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paas;access;check' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace to deploy into (default: the environment''s, then the kube context''s)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kube context to use (default: the environment''s, then the current one)')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'The probe image: a busybox (its `httpd` answers, its `nc` calls); a company mirror of it')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long the probe pods may take to start')
            [CompletionResult]::new('--settle', '--settle', [CompletionResultType]::ParameterName, 'How long the policy enforcer may take to act on the new pods before a call that goes against the rules counts')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit 1 when the cluster does not enforce `NetworkPolicy` at all (default: a warning)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;access;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Prove on the cluster that the access rules hold, with short-lived probe pods')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paas;access;help;check' {
            break
        }
        'paas;access;help;help' {
            break
        }
        'paas;ci' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'An environment of `paas.toml` to deploy, in order (repeat: `--env staging --env prod`)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'An environment of `paas.toml` to deploy, in order (repeat: `--env staging --env prod`)')
            [CompletionResult]::new('--branch', '--branch', [CompletionResultType]::ParameterName, 'The branch whose pushes deploy (default: the repository''s default branch, else `main`)')
            [CompletionResult]::new('--oidc-audience', '--oidc-audience', [CompletionResultType]::ParameterName, 'The audience of the OIDC token, as the cluster''s authenticator expects it')
            [CompletionResult]::new('--install-url', '--install-url', [CompletionResultType]::ParameterName, 'The git URL of paas''s sources the pipeline installs from (with their `install.sh`)')
            [CompletionResult]::new('--install-command', '--install-command', [CompletionResultType]::ParameterName, 'A shell command that installs paas on the CI machine and puts it on PATH, instead of `install.sh`')
            [CompletionResult]::new('--token-duration', '--token-duration', [CompletionResultType]::ParameterName, 'How long the printed `ServiceAccount` tokens stay valid (`kubectl create token --duration`)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('--oidc', '--oidc', [CompletionResultType]::ParameterName, 'Authenticate to the cluster with the CI''s OIDC identity token instead of a kubeconfig secret')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace the file when it exists')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the file on stdout and write nothing')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;packs' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the bundled packs and the company packs on the pack path')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a pack: what it detects, its variables and the files it writes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paas;packs;list' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;packs;show' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;packs;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the bundled packs and the company packs on the pack path')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a pack: what it detects, its variables and the files it writes')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paas;packs;help;list' {
            break
        }
        'paas;packs;help;show' {
            break
        }
        'paas;packs;help;help' {
            break
        }
        'paas;completions' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--directory', '--directory', [CompletionResultType]::ParameterName, 'Run as if paas was started in DIR')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results: `text` for people, `json` for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colors (`NO_COLOR` is honoured)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Read user settings from FILE instead of `~/.config/paas/config.toml`')
            [CompletionResult]::new('--pack-path', '--pack-path', [CompletionResultType]::ParameterName, 'Look for company packs in DIR before the bundled ones (can be repeated)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more about what is being done')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every question (when not on a terminal nothing is asked)')
            [CompletionResult]::new('--no-config', '--no-config', [CompletionResultType]::ParameterName, 'Read no user settings file')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'paas;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Detect the project type and write a Dockerfile, paas.toml and Kubernetes manifests')
            [CompletionResult]::new('detect', 'detect', [CompletionResultType]::ParameterValue, 'Show which pack fits the project, and why')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render the manifests under `deploy/` with the values of `paas.toml`')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Build, push and deploy the app, then wait until it runs')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Show what `paas up` would change in the cluster, as a unified diff')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Stream the logs of every pod and container of the app')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show whether the app is healthy: rollout, pods, warnings, addresses, usage')
            [CompletionResult]::new('domains', 'domains', [CompletionResultType]::ParameterValue, 'Say which DNS records to create for the app''s hosts, and check DNS and certificates')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List the app''s releases: revision, time, who, git commit, image, outcome')
            [CompletionResult]::new('scale', 'scale', [CompletionResultType]::ParameterValue, 'Set the number of replicas, or the autoscaling bounds')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Put an earlier release back, as a whole, and wait until it runs')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Deploy the image of an environment''s release to another environment, building nothing')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Set, unset or list the app''s secrets: environment variables kept in a Kubernetes Secret')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Delete everything the app owns in the environment')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Declare a component (redis, postgres, mongodb) in paas.toml')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a component from paas.toml; its volume and password stay unless `--delete-data`')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Dump a component''s data to a local file, with its SHA-256 beside it')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Replace a component''s data with a file made by `paas backup`')
            [CompletionResult]::new('access', 'access', [CompletionResultType]::ParameterValue, 'Who may call whom: the access rules of every app in the namespace')
            [CompletionResult]::new('ci', 'ci', [CompletionResultType]::ParameterValue, 'Write a CI pipeline that deploys the app on every push to the main branch')
            [CompletionResult]::new('packs', 'packs', [CompletionResultType]::ParameterValue, 'List or show the packs paas knows')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'paas;help;init' {
            break
        }
        'paas;help;detect' {
            break
        }
        'paas;help;render' {
            break
        }
        'paas;help;up' {
            break
        }
        'paas;help;diff' {
            break
        }
        'paas;help;logs' {
            break
        }
        'paas;help;status' {
            break
        }
        'paas;help;domains' {
            break
        }
        'paas;help;history' {
            break
        }
        'paas;help;scale' {
            break
        }
        'paas;help;rollback' {
            break
        }
        'paas;help;promote' {
            break
        }
        'paas;help;secret' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set a secret, and roll the app''s pods out with it')
            [CompletionResult]::new('unset', 'unset', [CompletionResultType]::ParameterValue, 'Remove a secret, and roll the app''s pods out without it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the secrets: each key, a digest of its value, and when it changed')
            break
        }
        'paas;help;secret;set' {
            break
        }
        'paas;help;secret;unset' {
            break
        }
        'paas;help;secret;list' {
            break
        }
        'paas;help;down' {
            break
        }
        'paas;help;add' {
            break
        }
        'paas;help;remove' {
            break
        }
        'paas;help;backup' {
            break
        }
        'paas;help;restore' {
            break
        }
        'paas;help;access' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Prove on the cluster that the access rules hold, with short-lived probe pods')
            break
        }
        'paas;help;access;check' {
            break
        }
        'paas;help;ci' {
            break
        }
        'paas;help;packs' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the bundled packs and the company packs on the pack path')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a pack: what it detects, its variables and the files it writes')
            break
        }
        'paas;help;packs;list' {
            break
        }
        'paas;help;packs;show' {
            break
        }
        'paas;help;completions' {
            break
        }
        'paas;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
