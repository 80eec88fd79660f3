package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/pflag"

	"github.com/reuse-tool/reuse"
)

const completionUsage = `usage: reuse completion bash|zsh|fish

Print a script that completes reuse's commands, flags and their values in
a shell. Load it in the current shell, or install it for every session:

  bash   source <(reuse completion bash)
         reuse completion bash > ~/.local/share/bash-completion/completions/reuse
  zsh    source <(reuse completion zsh)
         reuse completion zsh > "${fpath[1]}/_reuse"
  fish   reuse completion fish | source
         reuse completion fish > ~/.config/fish/completions/reuse.fish

The scripts are generated from the same flag definitions as --help.

`

// commandSummaries are the commands completed, with the line that
// describes each.
var commandSummaries = [][2]string{
	{"scan", "find reused passages in folders, files or archives"},
	{"compare", "align two documents and show what they share"},
	{"index", "keep an index of an archive"},
	{"check", "check new documents against an index of an archive"},
	{"gen", "generate a corpus with planted reuse and its ground truth"},
	{"eval", "score a result of scan against ground truth"},
	{"completion", "print a shell completion script"},
	{"help", "show the help of a command"},
}

// commandFlags returns the flags of a command, as its --help lists them.
func commandFlags(name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SortFlags = false
	switch name {
	case "scan":
		new(scanFlags).AddFlags(fs)
	case "compare":
		new(scanFlags).AddCompareFlags(fs)
	case "check":
		new(scanFlags).AddCheckFlags(fs)
	case "index create":
		new(indexFlags).AddCreateFlags(fs)
	case "index add":
		new(indexFlags).AddAddFlags(fs)
	case "index align":
		addIndexAlignFlags(fs, new(reuse.Options), new(bool))
	case "index stats":
		fs.String("format", "text", "output `format`: text or json")
	case "gen":
		new(genFlags).AddFlags(fs)
	case "eval":
		new(evalFlags).AddFlags(fs)
	}
	return fs
}

// encodingNames are the --encoding values offered; any WHATWG label works.
var encodingNames = []string{"utf-8", "latin1", "windows-1252", "iso-8859-2", "windows-1250", "iso-8859-15", "windows-1251", "koi8-r", "iso-8859-7", "shift_jis", "euc-jp", "gbk", "big5", "euc-kr"}

// flagWords are the values completed for flags that take one of a few
// words, by command and flag.
var flagWords = map[string]map[string][]string{
	"scan":         {"format": {"text", "json", "jsonl", "csv"}, "encoding": encodingNames},
	"compare":      {"format": {"text", "json", "jsonl", "csv"}, "encoding": encodingNames},
	"check":        {"format": {"text", "json", "jsonl", "csv"}, "encoding": encodingNames},
	"index create": {"encoding": encodingNames},
	"index add":    {"encoding": encodingNames},
	"index stats":  {"format": {"text", "json"}},
	"eval":         {"format": {"text", "json"}},
}

// valueKind says what a flag's value is completed with: "" for nothing (a
// number, a name), "file", "dir" or "words".
func valueKind(command string, f *pflag.Flag) string {
	if f.NoOptDefVal != "" {
		return "" // a boolean: no value follows
	}
	if _, ok := flagWords[command][f.Name]; ok {
		return "words"
	}
	switch placeholder, _ := pflag.UnquoteUsage(f); placeholder {
	case "file", "path":
		return "file"
	case "folder":
		return "dir"
	}
	return ""
}

// flagHelp is a flag's usage, shortened to its first clause and without
// characters the shells' syntaxes would read.
func flagHelp(f *pflag.Flag) string {
	_, usage := pflag.UnquoteUsage(f)
	if i := strings.IndexAny(usage, ":;("); i > 0 {
		usage = usage[:i]
	}
	usage = strings.NewReplacer("'", "", "[", "", "]", "", "`", "", "\"", "", "$", "", "\\", "").Replace(usage)
	return strings.TrimSpace(usage)
}

// completionCommands are the commands that take flags, in order.
var completionCommands = []string{"scan", "compare", "check", "gen", "eval"}

// indexCompletions are the subcommands of index, as commandFlags names
// them.
func indexCompletions() []string {
	var out []string
	for _, c := range indexCommands {
		out = append(out, "index "+c[0])
	}
	return out
}

func indexNames() string {
	var names []string
	for _, c := range indexCommands {
		names = append(names, c[0])
	}
	return strings.Join(names, " ")
}

func runCompletion(args []string, stdout io.Writer) (bool, error) {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(stdout, completionUsage+exitGenHelp)
		return false, errHelp
	}
	if len(args) != 1 {
		return false, fmt.Errorf("%w: completion takes one shell: bash, zsh or fish (try reuse completion --help)", errUsage)
	}
	var script string
	switch args[0] {
	case "bash":
		script = bashCompletion()
	case "zsh":
		script = zshCompletion()
	case "fish":
		script = fishCompletion()
	default:
		return false, fmt.Errorf("%w: completion: unknown shell %q (want bash, zsh or fish)", errUsage, args[0])
	}
	return false, emit("", stdout, func(w io.Writer) error {
		_, err := io.WriteString(w, script)
		return err
	})
}

// flagNames lists a command's flags as typed: --name and -x.
func flagNames(fs *pflag.FlagSet) []string {
	var names []string
	visitVisible(fs, func(f *pflag.Flag) {
		names = append(names, "--"+f.Name)
		if f.Shorthand != "" {
			names = append(names, "-"+f.Shorthand)
		}
	})
	return append(names, "--help")
}

func commandNames() string {
	var names []string
	for _, c := range commandSummaries {
		names = append(names, c[0])
	}
	return strings.Join(names, " ")
}

func bashCompletion() string {
	var b strings.Builder
	b.WriteString(`# bash completion for reuse; generated by "reuse completion bash".
_reuse() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=
    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}
    COMPREPLY=()
    if (( COMP_CWORD == 1 )); then
        COMPREPLY=($(compgen -W "` + commandNames() + ` --help --version" -- "$cur"))
        return
    fi
    local cmd=${COMP_WORDS[1]} flags=
    case $cmd in
    help)
        (( COMP_CWORD == 2 )) && COMPREPLY=($(compgen -W "` + strings.Join(completionCommands, " ") + ` index completion" -- "$cur"))
        return ;;
    completion)
        (( COMP_CWORD == 2 )) && COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur"))
        return ;;
`)
	for _, name := range completionCommands {
		bashCase(&b, name, name, "    ")
	}
	b.WriteString(`    index)
        if (( COMP_CWORD == 2 )); then
            COMPREPLY=($(compgen -W "` + indexNames() + `" -- "$cur"))
            return
        fi
        case ${COMP_WORDS[2]} in
`)
	for _, name := range indexCompletions() {
		bashCase(&b, name, strings.TrimPrefix(name, "index "), "        ")
	}
	b.WriteString("        *) return ;;\n        esac ;;\n")
	b.WriteString(`    *) return ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -o bashdefault -F _reuse reuse
`)
	return b.String()
}

// bashCase writes the case of a command (name as commandFlags knows it,
// label as typed) of the bash script, indented.
func bashCase(b *strings.Builder, name, label, in string) {
	fs := commandFlags(name)
	fmt.Fprintf(b, "%s%s)\n%s    flags=%q\n%s    case $prev in\n", in, label, in, strings.Join(flagNames(fs), " "), in)
	visitVisible(fs, func(f *pflag.Flag) {
		pat := "--" + f.Name
		if f.Shorthand != "" {
			pat += "|-" + f.Shorthand
		}
		switch valueKind(name, f) {
		case "words":
			fmt.Fprintf(b, "%s    %s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", in, pat, strings.Join(flagWords[name][f.Name], " "))
		case "file":
			fmt.Fprintf(b, "%s    %s) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", in, pat)
		case "dir":
			fmt.Fprintf(b, "%s    %s) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n", in, pat)
		case "":
			if f.NoOptDefVal == "" {
				fmt.Fprintf(b, "%s    %s) return ;;\n", in, pat)
			}
		}
	})
	fmt.Fprintf(b, "%s    esac ;;\n", in)
}

func zshCompletion() string {
	var b strings.Builder
	b.WriteString("#compdef reuse\n# zsh completion for reuse; generated by \"reuse completion zsh\".\n_reuse() {\n    local -a commands\n    commands=(\n")
	for _, c := range commandSummaries {
		fmt.Fprintf(&b, "        '%s:%s'\n", c[0], strings.ReplaceAll(c[1], "'", ""))
	}
	b.WriteString(`    )
    if (( CURRENT == 2 )); then
        _describe -t commands 'reuse command' commands
        _arguments '--help[show help]' '--version[show the version]'
        return
    fi
    local cmd=$words[2]
    shift words
    (( CURRENT-- ))
    case $cmd in
    help) _values 'command' scan compare index check gen eval completion ;;
    completion) _values 'shell' bash zsh fish ;;
`)
	for _, name := range completionCommands {
		fmt.Fprintf(&b, "    %s)\n", name)
		zshArguments(&b, name, "        ")
	}
	b.WriteString("    index)\n        if (( CURRENT == 2 )); then\n            _values 'index command' " + indexNames() + "\n            return\n        fi\n        case $words[2] in\n")
	for _, name := range indexCompletions() {
		fmt.Fprintf(&b, "        %s)\n", strings.TrimPrefix(name, "index "))
		zshArguments(&b, name, "            ")
	}
	b.WriteString("        esac ;;\n")
	b.WriteString("    esac\n}\nif [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n    _reuse \"$@\"\nelse\n    compdef _reuse reuse\nfi\n")
	return b.String()
}

// fishFlags writes the flags of a command, on condition cond.
func fishFlags(b *strings.Builder, name, cond string) {
	fs := commandFlags(name)
	var lines []string
	visitVisible(fs, func(f *pflag.Flag) {
		l := fmt.Sprintf("complete -c reuse %s -l %s", cond, f.Name)
		if f.Shorthand != "" {
			l += " -s " + f.Shorthand
		}
		switch valueKind(name, f) {
		case "words":
			l += " -x -a '" + strings.Join(flagWords[name][f.Name], " ") + "'"
		case "file":
			l += " -r -F"
		case "dir":
			l += " -x -a '(__fish_complete_directories)'"
		case "":
			if f.NoOptDefVal == "" {
				l += " -x"
			}
		}
		lines = append(lines, l+" -d '"+flagHelp(f)+"'")
	})
	sort.Strings(lines)
	b.WriteString(strings.Join(lines, "\n") + "\n")
}

// zshArguments writes the _arguments of a command, indented.
func zshArguments(b *strings.Builder, name, in string) {
	fs := commandFlags(name)
	fmt.Fprintf(b, "%s_arguments -s \\\n", in)
	visitVisible(fs, func(f *pflag.Flag) {
		value := ""
		switch valueKind(name, f) {
		case "words":
			value = ":" + f.Name + ":(" + strings.Join(flagWords[name][f.Name], " ") + ")"
		case "file":
			value = ":file:_files"
		case "dir":
			value = ":folder:_files -/"
		case "":
			if f.NoOptDefVal == "" {
				value = ":" + f.Name + ": "
			}
		}
		spec := fmt.Sprintf("[%s]%s", flagHelp(f), value)
		if f.Shorthand != "" {
			fmt.Fprintf(b, "%s    '(-%s --%s)'{-%s,--%s}'%s' \\\n", in, f.Shorthand, f.Name, f.Shorthand, f.Name, spec)
		} else {
			fmt.Fprintf(b, "%s    '--%s%s' \\\n", in, f.Name, spec)
		}
	})
	fmt.Fprintf(b, "%s    '--help[show help]' \\\n%s    '*:file:_files' ;;\n", in, in)
}

func fishCompletion() string {
	var b strings.Builder
	b.WriteString("# fish completion for reuse; generated by \"reuse completion fish\".\ncomplete -c reuse -f\n")
	b.WriteString("complete -c reuse -n __fish_use_subcommand -l help -d 'show help'\ncomplete -c reuse -n __fish_use_subcommand -l version -d 'show the version'\n")
	for _, c := range commandSummaries {
		fmt.Fprintf(&b, "complete -c reuse -n __fish_use_subcommand -a %s -d '%s'\n", c[0], strings.ReplaceAll(c[1], "'", ""))
	}
	b.WriteString("complete -c reuse -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n")
	b.WriteString("complete -c reuse -n '__fish_seen_subcommand_from help' -a '" + strings.Join(completionCommands, " ") + " index completion'\n")
	for _, name := range completionCommands {
		cond := fmt.Sprintf("-n '__fish_seen_subcommand_from %s'", name)
		fishFlags(&b, name, cond)
		if name != "gen" {
			fmt.Fprintf(&b, "complete -c reuse %s -F\n", cond)
		}
	}
	fmt.Fprintf(&b, "complete -c reuse -n '__fish_seen_subcommand_from index; and not __fish_seen_subcommand_from %s' -a '%s'\n", indexNames(), indexNames())
	for _, name := range indexCompletions() {
		sub := strings.TrimPrefix(name, "index ")
		cond := fmt.Sprintf("-n '__fish_seen_subcommand_from index; and __fish_seen_subcommand_from %s'", sub)
		fishFlags(&b, name, cond)
		fmt.Fprintf(&b, "complete -c reuse %s -F\n", cond)
	}
	return b.String()
}

// visitVisible calls fn for each flag of fs that is not hidden, in
// lexical order: those a user is offered (a hidden flag, such as the
// archive commands' --reworded, is there only to be refused with a
// reason).
func visitVisible(fs *pflag.FlagSet, fn func(*pflag.Flag)) {
	fs.VisitAll(func(f *pflag.Flag) {
		if !f.Hidden {
			fn(f)
		}
	})
}
