//! `.dockerignore` with Docker's exact semantics: the docker CLI's `ignorefile.ReadAll`, moby's
//! `patternmatcher` and the pruning rule of the CLI's context walker (`go-archive`'s
//! `TarWithOptions`).
//!
//! What this module owns: reading the file into patterns, compiling them, deciding whether a
//! path is excluded (with the per-pattern parent results the walker threads through), and
//! whether an excluded directory may be pruned. It does not walk the filesystem
//! ([`super::context`] does) and never prints.
//!
//! The rules, all as Docker has them:
//!
//! * a line starting with `#` (before trimming) is a comment; blank lines are skipped; a UTF-8
//!   BOM on the first line is dropped; surrounding whitespace is trimmed;
//! * `!` makes an exception; the last matching pattern wins;
//! * patterns are cleaned like Go's `filepath.Clean` (`./a` → `a`, `a/` → `a`, `a//b` → `a/b`,
//!   `a/../b` → `b`) and one leading `/` is dropped;
//! * `*` and `?` never cross `/`; `**` crosses any number of directories (also none);
//!   `[...]` classes with `^` negation and ranges; `\` escapes the next character;
//! * a pattern that matches a parent directory excludes everything below it;
//! * an excluded directory is pruned (not even listed) unless an exception pattern, read as
//!   plain text, starts with the directory's path plus `/`. This is Docker's prefix shortcut
//!   (docker/cli#2919): `!docs/keep.md` re-includes `docs/keep.md` under an excluded `docs`,
//!   but `!**/keep.md` does not.
//!
//! Patterns are translated to a regular expression the way `patternmatcher` does it (the
//! translation is Go's, so a few odd patterns such as `\d` behave as in Docker, i.e. as a
//! regex class), then the Go (RE2) class syntax is re-spelled for the `regex` crate.

use std::fmt;

use regex::Regex;

/// A `.dockerignore` pattern that Docker would reject too.
#[derive(Debug, thiserror::Error)]
pub enum DockerignoreError {
    /// A line that is only `!`.
    #[error("illegal exclusion pattern `!` on line {line}")]
    LoneExclusion {
        /// The 1-based line of `.dockerignore` (0 for a pattern given in code).
        line: usize,
    },
    /// A pattern Go's `filepath.Match` calls malformed (an unclosed `[`, a trailing `\`, …).
    #[error("syntax error in pattern `{pattern}` on line {line}: {reason}")]
    Syntax {
        /// The pattern as cleaned.
        pattern: String,
        /// The 1-based line of `.dockerignore` (0 for a pattern given in code).
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
}

/// The per-pattern results for a directory, handed to its children (moby's `MatchInfo`).
///
/// The default value means "no information": the parents are then matched one by one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchInfo(Vec<bool>);

/// One compiled pattern.
#[derive(Debug, Clone)]
struct Pattern {
    /// The cleaned pattern without its `!`.
    text: String,
    exclusion: bool,
    /// How many `/`-separated parts `text` has (used by Docker's legacy `Matches`).
    parts: usize,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Exact,
    /// `prefix**`: matches every path starting with `prefix`.
    Prefix(String),
    /// `**rest`: matches every path ending with `rest` (and `rest` without its `/`).
    Suffix(String),
    Regex(Regex),
}

/// A compiled `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct Dockerignore {
    patterns: Vec<Pattern>,
    exclusions: bool,
}

impl Dockerignore {
    /// Reads the text of a `.dockerignore` file and compiles its patterns.
    ///
    /// # Errors
    ///
    /// [`DockerignoreError`] for a pattern Docker rejects too (a lone `!`, an unclosed `[`).
    pub fn parse(text: &str) -> Result<Self, DockerignoreError> {
        Self::from_lines(read_patterns(text))
    }

    /// Compiles patterns that are already in `.dockerignore` form (`!` for exceptions).
    ///
    /// # Errors
    ///
    /// As [`Dockerignore::parse`].
    pub fn new<I, S>(patterns: I) -> Result<Self, DockerignoreError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Self::from_lines(patterns.into_iter().map(|p| (0, p.as_ref().to_owned())))
    }

    fn from_lines(
        lines: impl IntoIterator<Item = (usize, String)>,
    ) -> Result<Self, DockerignoreError> {
        let mut matcher = Self::default();
        for (line, pattern) in lines {
            matcher.push(&pattern, line)?;
        }
        Ok(matcher)
    }

    /// `patternmatcher.New` for one pattern.
    fn push(&mut self, raw: &str, line: usize) -> Result<(), DockerignoreError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(());
        }
        let cleaned = clean(trimmed);
        let (exclusion, text) = match cleaned.strip_prefix('!') {
            Some("") => return Err(DockerignoreError::LoneExclusion { line }),
            Some(rest) => (true, rest.to_owned()),
            None => (false, cleaned),
        };
        let syntax = |reason: String| DockerignoreError::Syntax {
            pattern: text.clone(),
            line,
            reason,
        };
        validate_glob(&text).map_err(syntax)?;
        let kind = compile(&text).map_err(syntax)?;
        self.exclusions |= exclusion;
        self.patterns.push(Pattern {
            parts: text.split('/').count(),
            text,
            exclusion,
            kind,
        });
        Ok(())
    }

    /// Adds `!.dockerignore` and `!<dockerfile>` when they are excluded, as the docker CLI
    /// does (`TrimBuildFilesFromExcludes`): the engine needs both files, and removes them
    /// itself before `COPY` when the original patterns match them.
    #[must_use]
    pub fn keeping_build_files(mut self, dockerfile: &str) -> Self {
        for keep in [".dockerignore", dockerfile] {
            if self.matches_legacy(keep) {
                // The pattern is a plain path the user's file system already holds, and
                // Docker appends it verbatim; it compiles unless it is malformed as a glob.
                let _ = self.push(&format!("!{keep}"), 0);
            }
        }
        self
    }

    /// Whether there is at least one `!` pattern.
    #[must_use]
    pub fn has_exclusions(&self) -> bool {
        self.exclusions
    }

    /// Whether the pattern list is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `path` (relative, `/`-separated) is excluded, checking its parents too
    /// (moby's `MatchesOrParentMatches`). This is what the engine uses to drop `Dockerfile`
    /// and `.dockerignore` before `COPY`.
    #[must_use]
    pub fn matches(&self, path: &str) -> bool {
        self.matches_with_parent(path, &MatchInfo::default()).0
    }

    /// Whether `path` is excluded, given the results of its parent directory
    /// (moby's `MatchesUsingParentResults`, what the context walker uses).
    ///
    /// Returns the results to hand to `path`'s children when it is a directory. Like Docker,
    /// a pattern skipped by the last-match-wins shortcut is recorded as not matching.
    #[must_use]
    pub fn matches_with_parent(&self, path: &str, parent: &MatchInfo) -> (bool, MatchInfo) {
        let parent = &parent.0;
        let mut matched = false;
        let mut info = vec![false; self.patterns.len()];
        for (index, pattern) in self.patterns.iter().enumerate() {
            let mut hit = parent.get(index).copied().unwrap_or(false);
            if !hit {
                if pattern.exclusion != matched {
                    continue;
                }
                hit = pattern.matches(path);
                if !hit && parent.is_empty() {
                    hit = parents(path).any(|dir| pattern.matches(dir));
                }
            }
            info[index] = hit;
            if hit {
                matched = !pattern.exclusion;
            }
        }
        (matched, MatchInfo(info))
    }

    /// moby's deprecated `Matches`, which the CLI still uses to decide whether to keep the
    /// Dockerfile: it only tries the parent with as many parts as the pattern.
    fn matches_legacy(&self, path: &str) -> bool {
        let path = clean(path);
        if path == "." {
            return false;
        }
        let parent_parts: Vec<&str> = match path.rfind('/') {
            Some(slash) => path[..slash].split('/').collect(),
            None => Vec::new(),
        };
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.exclusion != matched {
                continue;
            }
            let mut hit = pattern.matches(&path);
            if !hit && !parent_parts.is_empty() && pattern.parts <= parent_parts.len() {
                hit = pattern.matches(&parent_parts[..pattern.parts].join("/"));
            }
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }

    /// Whether an excluded directory must still be walked because an exception pattern,
    /// read as text, starts with `dir/` (Docker's prefix rule; see the module docs).
    #[must_use]
    pub fn must_descend(&self, dir: &str) -> bool {
        let dir_slash = format!("{dir}/");
        self.exclusions
            && self
                .patterns
                .iter()
                .any(|p| p.exclusion && format!("{}/", p.text).starts_with(&dir_slash))
    }
}

impl fmt::Display for Dockerignore {
    /// The compiled patterns, one a line, as Docker sees them after cleaning.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for pattern in &self.patterns {
            writeln!(
                f,
                "{}{}",
                if pattern.exclusion { "!" } else { "" },
                pattern.text
            )?;
        }
        Ok(())
    }
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.text,
            Kind::Prefix(prefix) => path.starts_with(prefix.as_str()),
            Kind::Suffix(suffix) => {
                path.ends_with(suffix.as_str())
                    || suffix.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            Kind::Regex(regex) => regex.is_match(path),
        }
    }
}

/// The parent directories of a relative path, outermost first: `a/b/c` → `a`, `a/b`.
fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(at, _)| &path[..at])
}

/// The patterns of a `.dockerignore` text with their 1-based line numbers, as the docker
/// CLI's `ignorefile.ReadAll` returns them.
#[must_use]
pub fn read_patterns(text: &str) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut patterns = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // A comment only when `#` is the very first character: ` # x` is a pattern.
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut cleaned = String::new();
        if !pattern.is_empty() {
            cleaned = clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
        }
        patterns.push((
            index + 1,
            if invert {
                format!("!{cleaned}")
            } else {
                cleaned
            },
        ));
    }
    patterns
}

/// Go's `filepath.Clean` for `/`-separated paths.
#[must_use]
pub fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            part => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// The syntax check of Go's `filepath.Match` (which `patternmatcher.New` runs): every `[`
/// opens a class of one or more chars or ranges closed by `]`, and `\` is followed by a char.
fn validate_glob(pattern: &str) -> Result<(), String> {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next().ok_or("a trailing `\\` escapes nothing")?;
            }
            '[' => {
                if chars.peek() == Some(&'^') {
                    chars.next();
                }
                let mut ranges = 0;
                loop {
                    if chars.peek() == Some(&']') && ranges > 0 {
                        chars.next();
                        break;
                    }
                    class_char(&mut chars)?;
                    if chars.peek() == Some(&'-') {
                        chars.next();
                        class_char(&mut chars)?;
                    }
                    ranges += 1;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Go's `getEsc`: one (possibly escaped) class character, which must not be `-` or `]` and
/// must not end the pattern.
fn class_char(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<char, String> {
    let bad = || "an unclosed or malformed `[...]` class".to_owned();
    let mut c = chars.next().ok_or_else(bad)?;
    if c == '-' || c == ']' {
        return Err(bad());
    }
    if c == '\\' {
        c = chars.next().ok_or_else(bad)?;
    }
    if chars.peek().is_none() {
        return Err(bad());
    }
    Ok(c)
}

/// `Pattern.compile` of moby's `patternmatcher`: decides exact / prefix / suffix / regexp
/// and builds the same regular expression (then re-spelled for the `regex` crate).
fn compile(pattern: &str) -> Result<Kind, String> {
    #[derive(PartialEq)]
    enum Detected {
        Exact,
        Prefix,
        Suffix,
        Regex,
    }
    let mut go_regex = String::from("^");
    let mut detected = Detected::Exact;
    let chars: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    let mut index = 0;
    while at < chars.len() {
        let c = chars[at];
        at += 1;
        match c {
            '*' if chars.get(at) == Some(&'*') => {
                at += 1;
                if chars.get(at) == Some(&'/') {
                    at += 1;
                }
                if at == chars.len() {
                    if detected == Detected::Exact {
                        detected = Detected::Prefix;
                    } else {
                        go_regex.push_str(".*");
                        detected = Detected::Regex;
                    }
                } else {
                    go_regex.push_str("(.*/)?");
                    detected = Detected::Regex;
                }
                if index == 0 {
                    detected = Detected::Suffix;
                }
            }
            '*' => {
                go_regex.push_str("[^/]*");
                detected = Detected::Regex;
            }
            '?' => {
                go_regex.push_str("[^/]");
                detected = Detected::Regex;
            }
            '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => {
                go_regex.push('\\');
                go_regex.push(c);
            }
            '\\' => {
                if let Some(&next) = chars.get(at) {
                    at += 1;
                    go_regex.push('\\');
                    go_regex.push(next);
                    detected = Detected::Regex;
                } else {
                    go_regex.push_str("\\\\");
                }
            }
            '[' | ']' => {
                go_regex.push(c);
                detected = Detected::Regex;
            }
            _ => go_regex.push(c),
        }
        index += 1;
    }
    Ok(match detected {
        Detected::Exact => Kind::Exact,
        Detected::Prefix => Kind::Prefix(pattern[..pattern.len() - 2].to_owned()),
        Detected::Suffix => Kind::Suffix(pattern[2..].to_owned()),
        Detected::Regex => {
            go_regex.push('$');
            let rust = re2_to_rust(&go_regex)?;
            Kind::Regex(Regex::new(&rust).map_err(|e| e.to_string())?)
        }
    })
}

/// Characters the `regex` crate treats specially (outside or inside a class).
fn is_rust_meta(c: char) -> bool {
    matches!(
        c,
        '\\' | '.'
            | '+'
            | '*'
            | '?'
            | '('
            | ')'
            | '|'
            | '['
            | ']'
            | '{'
            | '}'
            | '^'
            | '$'
            | '#'
            | '&'
            | '-'
            | '~'
    )
}

/// Re-spells a Go (RE2) regular expression from [`compile`] for the `regex` crate. The two
/// agree outside classes; inside, RE2 reads `[` literally (`[a[^/]*]` is the class `a[^/`,
/// then `*`, then `]`) while `regex` nests classes and has `&&`, `--`, `~~` operators, so
/// every class is parsed the RE2 way and written back with its members escaped. Go's `\d`,
/// `\s`, `\w` are ASCII-only, so they become explicit ranges.
fn re2_to_rust(go: &str) -> Result<String, String> {
    let chars: Vec<char> = go.chars().collect();
    let mut out = String::with_capacity(go.len() + 8);
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        at += 1;
        match c {
            '\\' => {
                let next = *chars.get(at).ok_or("a trailing `\\`")?;
                at += 1;
                out.push_str(&escape_outside(next)?);
            }
            '[' => {
                let (class, end) = parse_class(&chars, at)?;
                out.push_str(&class);
                at = end;
            }
            // RE2 reads a lone `]` as itself; `regex` wants it escaped.
            ']' => out.push_str("\\]"),
            _ => out.push(c),
        }
    }
    Ok(out)
}

fn escape_outside(c: char) -> Result<String, String> {
    Ok(match c {
        'd' => "[0-9]".to_owned(),
        'D' => "[^0-9]".to_owned(),
        's' => "[\\t\\n\\x0C\\r ]".to_owned(),
        'S' => "[^\\t\\n\\x0C\\r ]".to_owned(),
        'w' => "[0-9A-Za-z_]".to_owned(),
        'W' => "[^0-9A-Za-z_]".to_owned(),
        'b' | 'B' => format!("(?-u:\\{c})"),
        'A' | 'z' | 'a' | 'f' | 'n' | 'r' | 't' | 'v' => format!("\\{c}"),
        c if c.is_ascii_punctuation() => literal(c),
        c => return Err(format!("`\\{c}` is not a valid escape")),
    })
}

fn literal(c: char) -> String {
    if is_rust_meta(c) {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// Parses an RE2 class starting after its `[`; returns the `regex` spelling and the index
/// after its `]`.
fn parse_class(chars: &[char], mut at: usize) -> Result<(String, usize), String> {
    let unclosed = || "an unclosed `[` class".to_owned();
    let mut out = String::from("[");
    if chars.get(at) == Some(&'^') {
        out.push('^');
        at += 1;
    }
    let mut first = true;
    loop {
        let c = *chars.get(at).ok_or_else(unclosed)?;
        if c == ']' && !first {
            out.push(']');
            return Ok((out, at + 1));
        }
        first = false;
        // A POSIX class such as `[:alpha:]`, which both engines understand.
        if c == '[' && chars.get(at + 1) == Some(&':') {
            let rest: String = chars[at..].iter().collect();
            if let Some(end) = rest.find(":]") {
                out.push_str(&rest[..end + 2]);
                at += rest[..end + 2].chars().count();
                continue;
            }
        }
        let (lo, next) = class_member(chars, at)?;
        at = next;
        if chars.get(at) == Some(&'-') && chars.get(at + 1).is_some_and(|&c| c != ']') {
            let (hi, next) = class_member(chars, at + 1)?;
            at = next;
            out.push_str(&lo);
            out.push('-');
            out.push_str(&hi);
        } else {
            out.push_str(&lo);
        }
    }
}

/// One class member in `regex` spelling (an escaped char, or a shorthand's ranges).
fn class_member(chars: &[char], at: usize) -> Result<(String, usize), String> {
    let c = *chars.get(at).ok_or("an unclosed `[` class")?;
    if c != '\\' {
        return Ok((literal(c), at + 1));
    }
    let next = *chars.get(at + 1).ok_or("an unclosed `[` class")?;
    let member = match next {
        'd' => "0-9".to_owned(),
        's' => "\\t\\n\\x0C\\r ".to_owned(),
        'w' => "0-9A-Za-z_".to_owned(),
        'a' | 'f' | 'n' | 'r' | 't' | 'v' => format!("\\{next}"),
        c if c.is_ascii_punctuation() => literal(c),
        c => return Err(format!("`\\{c}` is not valid in a class")),
    };
    Ok((member, at + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(patterns: &[&str]) -> Dockerignore {
        Dockerignore::new(patterns).expect("valid patterns")
    }

    /// `patternmatcher`'s own table (pattern, path, match), with the cases this module adds.
    #[test]
    fn single_pattern_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("**", "file", true),
            ("**", "file/", true),
            ("**/", "file", true),
            ("**/", "file/", true),
            ("**", "/", true),
            ("**/", "/", true),
            ("**", "dir/file", true),
            ("**/", "dir/file", true),
            ("**", "dir/file/", true),
            ("**/", "dir/file/", true),
            ("**/**", "dir/file", true),
            ("**/**", "dir/file/", true),
            ("dir/**", "dir/file", true),
            ("dir/**", "dir/file/", true),
            ("dir/**", "dir/dir2/file", true),
            ("dir/**", "dir/dir2/file/", true),
            ("**/dir", "dir", true),
            ("**/dir2/*", "dir/dir2/file", true),
            ("**/dir2/*", "dir/dir2/file/", true),
            ("**/dir2/**", "dir/dir2/dir3/file", true),
            ("**/dir2/**", "dir/dir2/dir3/file/", true),
            ("**file", "file", true),
            ("**file", "dir/file", true),
            ("**/file", "dir/file", true),
            ("**file", "dir/dir/file", true),
            ("**/file", "dir/dir/file", true),
            ("**/file*", "dir/dir/file", true),
            ("**/file*", "dir/dir/file.txt", true),
            ("**/file*txt", "dir/dir/file.txt", true),
            ("**/file*.txt", "dir/dir/file.txt", true),
            ("**/file*.txt*", "dir/dir/file.txt", true),
            ("**/**/*.txt", "dir/dir/file.txt", true),
            ("**/**/*.txt2", "dir/dir/file.txt", false),
            ("**/*.txt", "file.txt", true),
            ("**/**/*.txt", "file.txt", true),
            ("a**/*.txt", "a/file.txt", true),
            ("a**/*.txt", "a/dir/file.txt", true),
            ("a**/*.txt", "a/dir/dir/file.txt", true),
            ("a/*.txt", "a/dir/file.txt", false),
            ("a/*.txt", "a/file.txt", true),
            ("a/*.txt**", "a/file.txt", true),
            ("a[b-d]e", "ae", false),
            ("a[b-d]e", "ace", true),
            ("a[b-d]e", "aae", false),
            ("a[^b-d]e", "aze", true),
            (".*", ".foo", true),
            (".*", "foo", false),
            ("abc.def", "abcdef", false),
            ("abc.def", "abc.def", true),
            ("abc.def", "abcZdef", false),
            ("abc?def", "abcZdef", true),
            ("abc?def", "abcdef", false),
            ("a\\\\", "a\\", true),
            ("**/foo/bar", "foo/bar", true),
            ("**/foo/bar", "dir/foo/bar", true),
            ("**/foo/bar", "dir/dir2/foo/bar", true),
            ("abc/**", "abc", false),
            ("abc/**", "abc/def", true),
            ("abc/**", "abc/def/ghi", true),
            ("**/.foo", ".foo", true),
            ("**/.foo", "bar.foo", false),
            ("a(b)c/def", "a(b)c/def", true),
            ("a(b)c/def", "a(b)c/xyz", false),
            ("a.|)$(}+{bc", "a.|)$(}+{bc", true),
            (
                "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                true,
            ),
            (
                "dist/*.whl",
                "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
                true,
            ),
            // `*` and `?` never cross `/`.
            ("*", "a/b", false),
            ("a?b", "a/b", false),
            ("*/b", "a/b", true),
            ("*.md", "docs/a.md", false),
            ("docs/*.md", "docs/a.md", true),
            ("docs/*.md", "docs/sub/a.md", false),
            // Escapes.
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("a\\?", "a?", true),
            ("a\\?", "ab", false),
            ("\\[x]", "[x]", true),
            // Classes.
            ("[^a]*", "abc", false),
            ("[^a]*", "bcd", true),
            ("[a-c]", "b", true),
            ("[a-c]", "d", false),
            ("[\\]]", "]", true),
            ("[!a]", "!", true),
            ("[&&a]", "&", true),
            // Go's regex translation: `\d` is a digit class in Docker too.
            ("\\d", "5", true),
            ("\\d", "d", false),
            // A literal `^` anchors and so never matches once the pattern is a regex.
            ("a^b*", "a^b", false),
            ("a^b", "a^b", true),
        ];
        let mut failures = Vec::new();
        for &(pattern, path, expected) in cases {
            let path = path.trim_end_matches('/');
            let got = m(&[pattern]).patterns[0].matches(path);
            if got != expected {
                failures.push(format!(
                    "{pattern:?} vs {path:?}: expected {expected}, got {got}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn comments_blank_lines_and_whitespace() {
        let text = "\u{feff}# comment\n\n  \nfoo  \r\n\tbar\t\n # not a comment\n! baz \n";
        let lines: Vec<String> = read_patterns(text).into_iter().map(|(_, p)| p).collect();
        assert_eq!(lines, ["foo", "bar", "# not a comment", "!baz"]);
        let numbered = read_patterns("a\n#c\n\nb");
        assert_eq!(numbered, [(1, "a".to_owned()), (4, "b".to_owned())]);
    }

    #[test]
    fn patterns_are_cleaned_and_leading_slash_dropped() {
        let lines: Vec<String> =
            read_patterns("/test2\n/a/file/here\n./x\ny/\nz//w\na/../b\n! /inverted/abs\n/\n")
                .into_iter()
                .map(|(_, p)| p)
                .collect();
        assert_eq!(
            lines,
            [
                "test2",
                "a/file/here",
                "x",
                "y",
                "z/w",
                "b",
                "!inverted/abs",
                "/"
            ]
        );
        assert_eq!(clean(""), ".");
        assert_eq!(clean("../a/.."), "..");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("a/b/../../.."), "..");
    }

    #[test]
    fn lone_exclusion_and_malformed_patterns_are_errors() {
        assert!(matches!(
            Dockerignore::parse("a\n!\n"),
            Err(DockerignoreError::LoneExclusion { line: 2 })
        ));
        for bad in ["[", "a[", "[]", "[a", "[a-", "[a-]x", "[-a]", "a\\", "[^]"] {
            let err = Dockerignore::new([bad]).expect_err(bad);
            assert!(
                matches!(err, DockerignoreError::Syntax { .. }),
                "{bad}: {err}"
            );
        }
        let err = Dockerignore::parse("ok\n\nfoo[\n").expect_err("line 3");
        assert_eq!(
            err.to_string(),
            "syntax error in pattern `foo[` on line 3: an unclosed or malformed `[...]` class"
        );
    }

    #[test]
    fn last_match_wins_with_exceptions() {
        let matcher = m(&["*.md", "!README.md", "README.md"]);
        assert!(matcher.matches("README.md"));
        let matcher = m(&["*.md", "!README.md"]);
        assert!(!matcher.matches("README.md"));
        assert!(matcher.matches("CHANGES.md"));
        assert!(matcher.has_exclusions());
        assert!(!m(&["a"]).has_exclusions());
    }

    #[test]
    fn a_matching_parent_excludes_the_subtree() {
        let matcher = m(&["docs"]);
        assert!(matcher.matches("docs"));
        assert!(matcher.matches("docs/a/b.txt"));
        assert!(!matcher.matches("docsy"));
        assert!(m(&["**/dir"]).matches("dir/file"));
        assert!(m(&["*"]).matches("a/b"), "`*` matches the parent `a`");
        let matcher = m(&["docs", "!docs/keep.md"]);
        assert!(!matcher.matches("docs/keep.md"));
        assert!(matcher.matches("docs/other.md"));
    }

    #[test]
    fn parent_results_are_threaded_like_the_walker() {
        let matcher = m(&["docs", "!docs/keep"]);
        let (dir, info) = matcher.matches_with_parent("docs", &MatchInfo::default());
        assert!(dir);
        assert_eq!(info, MatchInfo(vec![true, false]));
        assert!(!matcher.matches_with_parent("docs/keep", &info).0);
        assert!(matcher.matches_with_parent("docs/other", &info).0);

        // Docker's quirk: an exception skipped at the parent (nothing matched yet) is recorded
        // as not matching, so the child does not see it; `MatchesOrParentMatches` does.
        let matcher = m(&["foo/x", "!foo"]);
        let (dir, info) = matcher.matches_with_parent("foo", &MatchInfo::default());
        assert!(!dir);
        assert!(matcher.matches_with_parent("foo/x", &info).0);
        assert!(!matcher.matches("foo/x"));
    }

    #[test]
    fn pruning_follows_the_prefix_rule() {
        let matcher = m(&["docs", "!docs/keep.md"]);
        assert!(matcher.must_descend("docs"));
        assert!(!matcher.must_descend("doc"));
        let matcher = m(&["docs", "!**/keep.md"]);
        assert!(
            !matcher.must_descend("docs"),
            "docker/cli#2919: `**` exceptions do not stop pruning"
        );
        let matcher = m(&["a", "!a"]);
        assert!(matcher.must_descend("a"));
        assert!(!m(&["node_modules"]).must_descend("node_modules"));
    }

    #[test]
    fn dockerfile_and_dockerignore_are_kept() {
        let matcher = m(&["*", "!src"]).keeping_build_files("Dockerfile");
        assert!(!matcher.matches("Dockerfile"));
        assert!(!matcher.matches(".dockerignore"));
        assert!(matcher.matches("other"));
        assert_eq!(
            matcher.to_string(),
            "*\n!src\n!.dockerignore\n!Dockerfile\n"
        );

        let matcher = m(&["build"]).keeping_build_files("build/Dockerfile");
        assert!(!matcher.matches("build/Dockerfile"));
        assert!(matcher.must_descend("build"));
        assert!(matcher.matches("build/other"));

        let untouched = m(&["a"]).keeping_build_files("Dockerfile");
        assert_eq!(untouched.to_string(), "a\n");
    }

    #[test]
    fn leading_slash_dot_slash_and_trailing_slash_are_the_same_pattern() {
        for text in ["/build", "./build", "build/", "/build/", "build//"] {
            let matcher = Dockerignore::parse(text).expect(text);
            assert!(matcher.matches("build"), "{text}");
            assert!(matcher.matches("build/x"), "{text}");
            assert!(!matcher.matches("sub/build"), "{text}");
        }
    }
}
