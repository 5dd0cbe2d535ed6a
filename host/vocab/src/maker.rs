//! The maker types a loop spec may name (`"maker": {"type": …}`) and their defaults. The spec
//! checker, the schema test and the makers crate all read this one table.

/// How the host talks to a maker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MakerProtocol {
    /// Anthropic's Messages API.
    Anthropic,
    /// An OpenAI-compatible chat-completions API.
    OpenAi,
    /// A shell command run in the worktree, inside the OS sandbox.
    Command,
    /// An external coding agent (a program and its arguments) run in the worktree, inside the
    /// OS sandbox, with Strive's guard as its pre-tool hook where it has hooks.
    AgentCli,
}

/// One `maker.type` and its defaults.
#[derive(Debug)]
pub struct MakerType {
    pub name: &'static str,
    /// Other accepted spellings (`llm` is the earlier tool's name for Anthropic).
    pub aliases: &'static [&'static str],
    pub protocol: MakerProtocol,
    /// Default base URL; `None` = the spec must give `base_url` (HTTP types).
    pub base_url: Option<&'static str>,
    /// Default environment variable holding the API key; `None` = no key unless named.
    pub key_env: Option<&'static str>,
    /// Default model; `None` = the spec must name one (HTTP types).
    pub model: Option<&'static str>,
}

const fn http(
    name: &'static str,
    aliases: &'static [&'static str],
    protocol: MakerProtocol,
    base_url: Option<&'static str>,
    key_env: Option<&'static str>,
    model: Option<&'static str>,
) -> MakerType {
    MakerType {
        name,
        aliases,
        protocol,
        base_url,
        key_env,
        model,
    }
}

/// Every maker type (`docs/makers.md` documents each).
pub const MAKER_TYPES: &[MakerType] = &[
    http(
        "anthropic",
        &["llm"],
        MakerProtocol::Anthropic,
        Some("https://api.anthropic.com"),
        Some("ANTHROPIC_API_KEY"),
        Some("claude-opus-4-8"),
    ),
    http(
        "openai",
        &[],
        MakerProtocol::OpenAi,
        None,
        Some("OPENAI_API_KEY"),
        None,
    ),
    http(
        "nvidia",
        &[],
        MakerProtocol::OpenAi,
        Some("https://integrate.api.nvidia.com/v1"),
        Some("NVIDIA_API_KEY"),
        Some("meta/llama-3.3-70b-instruct"),
    ),
    http(
        "groq",
        &[],
        MakerProtocol::OpenAi,
        Some("https://api.groq.com/openai/v1"),
        Some("GROQ_API_KEY"),
        None,
    ),
    http(
        "openrouter",
        &[],
        MakerProtocol::OpenAi,
        Some("https://openrouter.ai/api/v1"),
        Some("OPENROUTER_API_KEY"),
        None,
    ),
    http(
        "ollama",
        &[],
        MakerProtocol::OpenAi,
        Some("http://localhost:11434/v1"),
        None,
        None,
    ),
    http(
        "vllm",
        &[],
        MakerProtocol::OpenAi,
        Some("http://localhost:8000/v1"),
        None,
        None,
    ),
    http(
        "llamacpp",
        &["llama.cpp", "llama-cpp"],
        MakerProtocol::OpenAi,
        Some("http://localhost:8080/v1"),
        None,
        Some("default"),
    ),
    http("command", &[], MakerProtocol::Command, None, None, None),
    http(
        "agent-cli",
        &["agent"],
        MakerProtocol::AgentCli,
        None,
        None,
        None,
    ),
];

impl MakerType {
    /// `"groq"` or an alias (`"llm"`, `"llama.cpp"`) → its row.
    pub fn parse(name: &str) -> Option<&'static MakerType> {
        let name = name.trim();
        MAKER_TYPES
            .iter()
            .find(|t| t.name == name || t.aliases.contains(&name))
    }

    /// Every accepted spelling, names and aliases (what the schema's enum lists).
    pub fn spellings() -> impl Iterator<Item = &'static str> {
        MAKER_TYPES
            .iter()
            .flat_map(|t| std::iter::once(t.name).chain(t.aliases.iter().copied()))
    }
}

/// How a maker is driven (`"maker": {"mode": …}`): one request per attempt, or a tool-using
/// conversation whose turns the host caps (`maker.max_turns`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MakerMode {
    /// One request per attempt: the host snapshots the worktree into the prompt (the default).
    #[default]
    SingleShot,
    /// A multi-turn, tool-using conversation (`maker.chat`); every tool call is a host call.
    Agent,
}

impl MakerMode {
    /// Every mode, in documentation order.
    pub const ALL: [MakerMode; 2] = [MakerMode::SingleShot, MakerMode::Agent];

    /// The spelling a spec uses.
    pub fn as_str(self) -> &'static str {
        match self {
            MakerMode::SingleShot => "single-shot",
            MakerMode::Agent => "agent",
        }
    }

    /// `"single-shot"` or `"agent"` (exactly; no other spelling) → the mode.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// Every accepted spelling (what the schema's enum lists).
    pub fn spellings() -> impl Iterator<Item = &'static str> {
        Self::ALL.into_iter().map(MakerMode::as_str)
    }
}

impl std::fmt::Display for MakerMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Chat turns one run may take when the spec sets no `maker.max_turns`.
pub const DEFAULT_MAX_TURNS: u32 = 30;
/// The most chat turns a spec may allow (`maker.max_turns` is 1..=this).
pub const MAX_TURNS_LIMIT: u32 = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_and_http_types_have_a_protocol() {
        assert_eq!(MakerType::parse("llm").unwrap().name, "anthropic");
        assert_eq!(MakerType::parse("llama.cpp").unwrap().name, "llamacpp");
        assert!(MakerType::parse("gpt").is_none());
        assert_eq!(
            MakerType::parse("agent").unwrap().protocol,
            MakerProtocol::AgentCli
        );
        assert_eq!(MakerType::spellings().count(), MAKER_TYPES.len() + 4);
    }

    #[test]
    fn modes_parse_only_their_spelling() {
        for m in MakerMode::ALL {
            assert_eq!(MakerMode::parse(m.as_str()), Some(m));
        }
        assert_eq!(MakerMode::default(), MakerMode::SingleShot);
        for bad in ["Agent", "single_shot", "singleshot", " agent", ""] {
            assert_eq!(MakerMode::parse(bad), None, "{bad:?}");
        }
    }
}
