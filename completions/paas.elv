
use builtin;
use str;

set edit:completion:arg-completer[paas] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'paas'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'paas'= {
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Detect the project type and write a Dockerfile, paas.toml and Kubernetes manifests'
            cand detect 'Show which pack fits the project, and why'
            cand render 'Render the manifests under `deploy/` with the values of `paas.toml`'
            cand up 'Build, push and deploy the app, then wait until it runs'
            cand diff 'Show what `paas up` would change in the cluster, as a unified diff'
            cand packs 'List or show the packs paas knows'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paas;init'= {
            cand --pack 'Use this pack instead of the detected one'
            cand --project 'The .NET project to use when a solution has several web projects (path or name)'
            cand --name 'The app name, a DNS label such as `shop-web` (default: from the project)'
            cand --port 'The port the app listens on in the container (default: the pack''s, 8080)'
            cand --registry 'Where images are pushed, such as `registry.example.com/team`'
            cand --host 'The public host name; writes an Ingress for it'
            cand --replicas 'The number of replicas (2 or more also writes a `PodDisruptionBudget`)'
            cand --set 'Set a pack variable, such as `base_image=registry.corp/nginx:1.27` (can be repeated)'
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand --force 'Overwrite files that already exist'
            cand --dry-run 'Print what would be written, and write nothing'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'paas;detect'= {
            cand --pack 'Use this pack instead of the detected one'
            cand --project 'The .NET project to use when a solution has several web projects (path or name)'
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'paas;render'= {
            cand -e 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)'
            cand --env 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)'
            cand -n 'The namespace to put in the manifests (default: the environment''s, then none)'
            cand --namespace 'The namespace to put in the manifests (default: the environment''s, then none)'
            cand --image 'The image to deploy (default: `<registry>/<name>:<git commit>`)'
            cand -o 'Write one file per manifest into DIR instead of printing them'
            cand --out-dir 'Write one file per manifest into DIR instead of printing them'
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'paas;up'= {
            cand -e 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)'
            cand --env 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)'
            cand -n 'The namespace to deploy into (default: the environment''s, then the kube context''s)'
            cand --namespace 'The namespace to deploy into (default: the environment''s, then the kube context''s)'
            cand --context 'The kube context to use (default: the environment''s, then the current one)'
            cand --timeout 'How long to wait for the rollout, such as `90s` or `5m`'
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand --atomic 'When the rollout fails, put the last good release back (the exit code still says it failed)'
            cand --force-conflicts 'Take over fields that another tool (kubectl, an operator) set on the app''s objects'
            cand --dry-run 'Show what would change (as `paas diff`), and build, push and apply nothing'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'paas;diff'= {
            cand -e 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)'
            cand --env 'Use the overrides of this environment from `paas.toml` (`[env.NAME]`)'
            cand -n 'The namespace to deploy into (default: the environment''s, then the kube context''s)'
            cand --namespace 'The namespace to deploy into (default: the environment''s, then the kube context''s)'
            cand --context 'The kube context to use (default: the environment''s, then the current one)'
            cand --image 'The image to compare with (default: the live release''s image; nothing is built)'
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand --exit-code 'Exit with 1 when something would change (as `git diff --exit-code`)'
            cand --force-conflicts 'Compare as if `--force-conflicts` were given to `paas up`'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'paas;packs'= {
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the bundled packs and the company packs on the pack path'
            cand show 'Show a pack: what it detects, its variables and the files it writes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paas;packs;list'= {
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'paas;packs;show'= {
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'paas;packs;help'= {
            cand list 'List the bundled packs and the company packs on the pack path'
            cand show 'Show a pack: what it detects, its variables and the files it writes'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paas;packs;help;list'= {
        }
        &'paas;packs;help;show'= {
        }
        &'paas;packs;help;help'= {
        }
        &'paas;completions'= {
            cand -C 'Run as if paas was started in DIR'
            cand --directory 'Run as if paas was started in DIR'
            cand --output 'How to print results: `text` for people, `json` for programs'
            cand --color 'When to use colors (`NO_COLOR` is honoured)'
            cand --config 'Read user settings from FILE instead of `~/.config/paas/config.toml`'
            cand --pack-path 'Look for company packs in DIR before the bundled ones (can be repeated)'
            cand -q 'Print only errors and data'
            cand --quiet 'Print only errors and data'
            cand -v 'Print more about what is being done'
            cand --verbose 'Print more about what is being done'
            cand -y 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --yes 'Answer yes to every question (when not on a terminal nothing is asked)'
            cand --no-config 'Read no user settings file'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'paas;help'= {
            cand init 'Detect the project type and write a Dockerfile, paas.toml and Kubernetes manifests'
            cand detect 'Show which pack fits the project, and why'
            cand render 'Render the manifests under `deploy/` with the values of `paas.toml`'
            cand up 'Build, push and deploy the app, then wait until it runs'
            cand diff 'Show what `paas up` would change in the cluster, as a unified diff'
            cand packs 'List or show the packs paas knows'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'paas;help;init'= {
        }
        &'paas;help;detect'= {
        }
        &'paas;help;render'= {
        }
        &'paas;help;up'= {
        }
        &'paas;help;diff'= {
        }
        &'paas;help;packs'= {
            cand list 'List the bundled packs and the company packs on the pack path'
            cand show 'Show a pack: what it detects, its variables and the files it writes'
        }
        &'paas;help;packs;list'= {
        }
        &'paas;help;packs;show'= {
        }
        &'paas;help;completions'= {
        }
        &'paas;help;help'= {
        }
    ]
    $completions[$command]
}
