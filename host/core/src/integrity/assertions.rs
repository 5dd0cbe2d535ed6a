//! Assertions and test definitions inside test code: what a line asserts, how strongly, and
//! which test a line defines, so removed lines can be compared with the lines that replace
//! them.

use std::sync::LazyLock;

use regex::Regex;

/// How much an assertion pins down. Replacing an assertion by a weaker one is weakening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Strength {
    /// Only truthiness, definedness or non-nullness.
    Truthy = 1,
    /// Membership, containment, ordering, approximate equality, pattern match.
    Loose = 2,
    /// Exact equality or identity.
    Exact = 3,
}

static ASSERTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^\s*(assert\b|assert_\w*!|assert_\w+\s+\S|debug_assert\w*!|self\.assert\w*|\w+\.assert\w*\s*\(|",
        r"assert\w*\s*\(|assert\w*\s*<[\w.:<>, ?]*>\s*[\(\{]|expect\s*[\(\{]|XCTAssert\w*|Assert\.\w+|CollectionAssert|StringAssert|",
        r"require\.\w+\(|t\.(Error|Errorf|Fatal|Fatalf|Fail|FailNow)\b|refute\w*\b|should\b|",
        r"(EXPECT|ASSERT)_\w+\s*\(|REQUIRE\s*\(|CHECK\s*\(|assertThat\b|verify\s*\()",
        r"|\.(should|to|not_to|to_not)\s*[\(\s]|\)\.to(Be|Equal|StrictEqual|Match|Contain|Throw|Have)\w*\s*\(",
        // minitest expectations, FluentAssertions, Kotest infix matchers and `shouldThrow<E>`
        // testify's assertion object (`is := assert.New(t)`; `is.Equal(a, b)`)
        r"|^\s*[a-z]\w*\.(Equal|EqualValues|NotEqual|True|False|Nil|NotNil|NoError|ErrorIs|ErrorAs|EqualError|ErrorContains|NotContains|Len|NotEmpty|Zero|NotZero|InDelta|InEpsilon|Panics|NotPanics|Regexp|ElementsMatch|JSONEq)\(",
        r"|^\s*(is|a|r|req|must|assert\w*|require\w*)\.(Error|Contains|Empty|Greater|Less|Same|Subset)\(",
        r"|\.(must|wont)_\w+|\.Should\(\)|\.should[A-Z]\w*\s*[<\(]|\S\s+should(Be|NotBe|Contain|NotContain|HaveSize|HaveLength|StartWith|EndWith|Match|Equal)\w*\s|^\s*should(Throw|NotThrow)\w*\s*[<\(\{]",
        // Shouldly: `x.ShouldBe(y)`, `Should.Throw<E>(…)`; MockMvc/WebTestClient expectation
        // chains (`.andExpect(status().isOk())`); explicit failures (`self.fail(…)`, `fail(…)`)
        r"|\.Should[A-Z]\w*\s*[<\(]|\bShould\.(Throw|NotThrow|CompleteIn)\w*\s*[<\(]|\.andExpect(All)?\s*\(|\.expect(Status|Body|Header)\s*\(",
        r"|^\s*(self\.|pytest\.|Assertions\.|Assert\.)?fail\s*\(",
        // AssertJ's BDD entry point: `then(x).isEqualTo(y)`
        r"|^\s*then\s*\(.*\)\s*\.\s*(is|has|contains|doesNot|starts|ends|matches|satisfies)\w*\s*\(",
        // PHPUnit (`$this->assertSame(…)`, `self::assertTrue(…)`, `$this->expectException(…)`)
        r"|^\s*(\$this->|self::|static::|parent::)(assert\w*|expectException\w*|fail)\s*\(",
        // Gomega: `Expect(x).To(…)`, `Ω(x).Should(…)`, `Eventually(f).Should(…)`
        r"|^\s*(Expect|Ω|Eventually|Consistently)\s*\(.*\)\s*\.\s*(To|ToNot|NotTo|Should|ShouldNot)\s*\(",
        // the long tail: R testthat `expect_equal(…)`, Dart `expectLater(…)`, Julia `@test …`,
        // Perl Test::More `is(…)`/`ok(…)`, Clojure `(is …)`, Haskell `assertEqual "m" a b` and
        // infix `` `shouldBe` ``, OCaml alcotest `check int "m" a b`, Zig `try testing.expect…`
        r"|^\s*(expect_\w+|expectLater)\s*\(|^\s*@test(_throws|_broken|_skip)?\b",
        r"|^\s*(ok|is|isnt|is_deeply|like|unlike|cmp_ok|isa_ok|can_ok|throws_ok|dies_ok|lives_ok)\s*\(",
        r"|^\s*\(is\s|^\s*assert[A-Z]\w*\s+[\x22\w(]|\s`should\w+`\s|\s@\?=\s|\s@=\?\s",
        r"|^\s*(Alcotest\.)?\(?check\s+[\w.()]+\s+\x22|^\s*try\s+(std\.)?testing\.expect\w*\s*\("
    ))
    .expect("assertion regex")
});

static EXACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"==|===|\bassert_eq!|\bassert_ne!|assertEquals?\b|assertNotEqual|assertSame|assertIs\b|",
        r"\.toBe\(|\.toEqual\(|\.toStrictEqual\(|\.toStrictlyEqual|\bEqual\(|\bequal\(|strictEqual|deepEqual|",
        r"deepStrictEqual|\.eq\(|\beq\b|\beql\b|\bequal\b|AreEqual|XCTAssertEqual|_EQ\s*\(|assertThat\(.*\bis\(|",
        r"toHaveBeenCalledTimes|assert_called_once_with|assert_called_with|assert_has_calls|toHaveBeenCalledWith|",
        r"\bassert_equal\b|\bassert_same\b|\bmust_equal\b|\bshouldBe\b|\.Be\(|\.BeEquivalentTo\(|",
        r"toMatchObject|toHaveLength|\bIs\.(EqualTo|SameAs)\s*\(|\.toHave\w+\(\s*\S|toMatchSnapshot|toMatchInlineSnapshot|assertRaises|pytest\.raises|toThrow\w*\(\S|",
        r"\.ShouldBe\(|\.ShouldEqual\(|\.ShouldBeSameAs\(|\.ShouldBeEquivalentTo\(|\bShould\.Throw\w*\s*<|\.ShouldThrow\w*\s*<|",
        // busted `assert.equals`/`assert.are.same`, Dart `equals(…)`, testthat, Test::More,
        // HUnit, munit `assertNoDiff`, Zig `expectEqual`
        r"\.equals\s*\(|\.same\s*\(|\bequals\s*\(|\bexpect_(equal|identical|setequal)\b|^\s*(is|is_deeply)\s*\(|@\?=|@=\?|assertNoDiff|expectEqual\w*\s*\("
    ))
    .expect("exact regex")
});

static LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\bin\b|\bnot in\b|assertIn\b|assertNotIn\b|assertGreater|assertLess|assertAlmostEqual|assertRegex|",
        r"assertCountEqual|\.toContain|toBeGreaterThan|toBeLessThan|toBeCloseTo|\.toMatch\(|\.include|",
        r"\.contains\(|\bcontains\b|approx|isclose|allclose|>=|<=|[^=<>!-]>[^=>]|[^=<]<[^=<]|!=|\bstarts_?with\b|",
        r"\bends_?with\b|\bmatches!|_GT\s*\(|_LT\s*\(|_GE\s*\(|_LE\s*\(|_NEAR\s*\(|\bbe_within\b|\bmatch\b|",
        r"toHaveBeenCalled\b|assert_called\b|assert_called_once\b|abs\s*\(|",
        r"\bassert_in_delta\b|\bassert_in_epsilon\b|\bassert_includes\b|\bassert_match\b|\bshouldContain\b|\.Contain\(|BeCloseTo|BeApproximately|\bplusOrMinus\b|\bshouldBe(Between|GreaterThan|LessThan|In)\b|\bIs\.(GreaterThan|LessThan|AtLeast|AtMost|InRange|EquivalentTo)\b|\.Within\(|",
        r"\.ShouldContain\w*\(|\.ShouldBe(GreaterThan|LessThan|InRange|OneOf|SubsetOf)\w*\(|\.Should(StartWith|EndWith|Match)\w*\(|",
        // Gomega's containment, ordering and pattern matchers
        r"\b(ContainSubstring|ContainElement|ContainElements|HaveKey|BeNumerically|MatchRegexp|HavePrefix|HaveSuffix|BeElementOf|ConsistOf|Say)\(|",
        // Dart matchers, busted `assert.near`, testthat `expect_gt`/`expect_match`, Test::More
        r"\b(closeTo|hasLength|greaterThan|lessThan|greaterThanOrEqualTo|lessThanOrEqualTo|inInclusiveRange|containsAll|unorderedEquals|containsPair|startsWith|endsWith|stringContainsInOrder|matches)\s*\(|\.near\s*\(|\bexpect_(gt|gte|lt|lte|match|contains|length|named|type|s3_class)\b|^\s*(like|unlike|cmp_ok)\s*\("
    ))
    .expect("loose regex")
});

/// True when the (untrimmed) line starts an assertion.
pub(super) fn is_assertion(line: &str) -> bool {
    ASSERTION.is_match(line)
}

/// How strong an assertion line is.
pub(super) fn strength(line: &str) -> Strength {
    if let Some(s) = matcher_argument_strength(line) {
        return s;
    }
    // Tolerance forms compare approximately even though they contain `==`/`<=`.
    let approx = line.contains("approx") || line.contains("isclose") || line.contains("abs(");
    if EXACT.is_match(line) && !approx && !LOOSE_OVERRIDES.is_match(line) {
        Strength::Exact
    } else if LOOSE.is_match(line) || approx {
        Strength::Loose
    } else if EXACT.is_match(line) {
        Strength::Exact
    } else {
        Strength::Truthy
    }
}

/// Dart's `expect(actual, matcher)`: the second argument decides. A plain value or
/// `equals(…)`/`same(…)`/`isTrue`/`isNull` is exact; presence matchers (`isNotNull`, `anything`,
/// `isA<T>()`, `returnsNormally`) are truthiness; the other named matchers (`contains(…)`,
/// `hasLength(…)`, `closeTo(…)`, `throwsA(…)`) are loose.
fn matcher_argument_strength(line: &str) -> Option<Strength> {
    let t = line.trim_start();
    let rest = t
        .strip_prefix("expect(")
        .or_else(|| t.strip_prefix("expectLater("))?;
    let close = rest.rfind(')')?;
    let args = super::syntax::split_top_args(&rest[..close]);
    let matcher = args.get(1)?.trim();
    const TRUTHY: &[&str] = &[
        "isNotNull",
        "anything",
        "isNotEmpty",
        "isEmpty",
        "isNonZero",
        "isNotNaN",
        "returnsNormally",
        "isA",
        "isList",
        "isMap",
        "completes",
    ];
    let head: String = matcher
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if head.is_empty() || !head.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some(Strength::Exact);
    }
    let called = matcher[head.len()..].trim_start().starts_with(['(', '<']);
    Some(if TRUTHY.contains(&head.as_str()) {
        Strength::Truthy
    } else if matches!(
        head.as_str(),
        "equals"
            | "same"
            | "orderedEquals"
            | "true"
            | "false"
            | "null"
            | "isTrue"
            | "isFalse"
            | "isNull"
    ) {
        Strength::Exact
    } else if called || head.starts_with("is") || head.starts_with("throws") {
        Strength::Loose
    } else {
        // a local variable holding the expected value
        Strength::Exact
    })
}

/// Exact-looking helpers whose argument makes them loose (`assert x == y or z`, `in` inside `==`).
static LOOSE_OVERRIDES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"==[^,]*(\bor\b|\|\|)|\s(in|not in)\s*[\(\[\{]").expect("override regex")
});

/// Tolerance values named in a line (`abs=0.1`, `delta=2`, `<= 2.0` after `abs(`, `places=3`,
/// XCTest `accuracy: 0.1`, kotest `plusOrMinus 0.1`, NUnit `.Within(0.1)`, RSpec `be_within(0.1)`).
/// `places`/`decimal` count digits, so a smaller value is a wider tolerance; they are returned
/// negated so that "larger means looser" holds for every returned value.
pub(super) fn tolerance(line: &str) -> Option<f64> {
    static TOL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"\b(abs|rel|atol|rtol|delta|epsilon|eps|tol|tolerance|accuracy|places|decimal|precision)\s*[=:]\s*(-?[0-9][0-9_]*\.?[0-9]*(?:e-?[0-9]+)?)|abs\s*\(.*\)\s*<=?\s*(-?[0-9][0-9_]*\.?[0-9]*(?:e-?[0-9]+)?)|toBeCloseTo\s*\([^,]*,\s*([0-9]+)|\b(?:plusOrMinus|Within|be_within)\s*\(?\s*([0-9][0-9_]*\.?[0-9]*(?:e-?[0-9]+)?)|\bcloseTo\s*\([^,]*,\s*([0-9][0-9_]*\.?[0-9]*(?:e-?[0-9]+)?)",
        )
        .expect("tolerance regex")
    });
    let Some(caps) = TOL.captures(line) else {
        return positional_tolerance(line);
    };
    let (name, value) = if let Some(v) = caps.get(2) {
        (caps.get(1).map(|m| m.as_str()).unwrap_or(""), v.as_str())
    } else if let Some(v) = caps.get(3).or_else(|| caps.get(5)).or_else(|| caps.get(6)) {
        ("abs", v.as_str())
    } else {
        ("places", caps.get(4)?.as_str())
    };
    let v: f64 = value.replace('_', "").parse().ok()?;
    Some(if matches!(name, "places" | "decimal" | "precision") {
        -v
    } else {
        v
    })
}

/// A tolerance passed by position: JUnit `assertEquals(e, a, delta)`, NUnit `AreEqual(e, a,
/// delta)`, kotest `shouldBeBetween(a, b, tolerance)`, testify `InDelta(t, e, a, delta)` /
/// `InEpsilon`, minitest `assert_in_delta e, a, delta`, GoogleTest `EXPECT_NEAR(a, b, abs_error)`.
fn positional_tolerance(line: &str) -> Option<f64> {
    static HEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(assertEquals|assertArrayEquals|assertNotEquals|InDelta|InEpsilon|InDeltaSlice|assert_in_delta|assert_in_epsilon|ShouldBe|AreEqual|shouldBeBetween|EXPECT_NEAR|ASSERT_NEAR|near)\b\s*\(?")
            .expect("positional tolerance regex")
    });
    let m = HEAD.captures(line)?;
    let name = m.get(1)?.as_str();
    let rest = line[m.get(0)?.end()..].trim_end().trim_end_matches(';');
    let rest = rest.strip_suffix(')').unwrap_or(rest);
    let args = super::syntax::split_top_args(rest);
    let at = match name {
        "InDelta" | "InEpsilon" | "InDeltaSlice" => 3,
        // Shouldly's `x.ShouldBe(expected, tolerance)`
        "ShouldBe" => 1,
        _ => 2,
    };
    let v = args.get(at)?.trim().replace('_', "");
    let v = v.trim_end_matches(['d', 'f', 'D', 'F']);
    v.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        .then(|| v.parse().ok())?
}

/// Words, string literals and numbers of a line, for comparing a removed line with its
/// replacement. Whitespace and punctuation are dropped.
pub(super) fn tokens(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' || b == b'\'' || b == b'`' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i = (i + 1).min(bytes.len());
            out.push(&line[start..i]);
        } else if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'_'
                    || bytes[i] == b'.' && bytes[start].is_ascii_digit()
                    || bytes[i] >= 0x80)
            {
                i += 1;
            }
            out.push(&line[start..i]);
        } else if matches!(b, b'=' | b'<' | b'>' | b'!') {
            let start = i;
            while i < bytes.len() && matches!(bytes[i], b'=' | b'<' | b'>' | b'!') {
                i += 1;
            }
            out.push(&line[start..i]);
        } else {
            i += 1;
        }
    }
    out
}

/// True for a string or number literal token.
pub(super) fn is_literal(token: &str) -> bool {
    let first = token.as_bytes().first().copied().unwrap_or(b' ');
    matches!(first, b'"' | b'\'' | b'`')
        || first.is_ascii_digit()
        // an expected boolean in a table row is a value like any other
        || matches!(token, "true" | "false" | "True" | "False")
}

/// Share of tokens two lines have in common (0..=1).
pub(super) fn similarity(a: &[&str], b: &[&str]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|t| b.contains(t)).count();
    common as f64 / a.len().max(b.len()) as f64
}

/// True when every token of `old` still occurs in `new` at least as often (`new` only adds).
pub(super) fn is_extension(old: &[&str], new: &[&str]) -> bool {
    let mut pool: Vec<&str> = new.to_vec();
    old.iter().all(|t| {
        if let Some(pos) = pool.iter().position(|p| p == t) {
            pool.swap_remove(pos);
            true
        } else {
            false
        }
    })
}

/// What a line defines, if it opens a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TestDef {
    /// A test with a name (`def test_x`, `it("does y"`, `func TestZ`).
    Named(String),
    /// A test attribute/annotation (`#[test]`, `@Test`, `[Fact]`): counted, not named.
    Marker,
}

static NAMED_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"^\s*(?:async\s+)?def\s+(test\w*)\s*\(|^\s*class\s+(Test\w*)|"#,
        r#"^\s*[xf]?(?:it|test|describe|context|suite|specify|scenario|feature|property|test_that|group)(?:\.\w+)*\s*\(?\s*(?:'([^']*)'|"([^"]*)"|`([^`]*)`)|"#,
        r#"^\s*func\s+((?:Test|Benchmark|Fuzz|Example)\w*)\s*\(|^\s*func\s+(test\w*)\s*\(|"#,
        r#"^\s*(?:public\s+)?function\s+(test\w*)\s*\(|^\s*TEST(?:_F|_P)?\s*\(\s*(\w+\s*,\s*\w+)|"#,
        // Ginkgo specs and containers, focused/pending spellings included
        r#"^\s*[FXP]?(?:It|Specify|Entry|Describe|Context|When|DescribeTable)\s*\(\s*"([^"]*)"|"#,
        // Julia `@testset "name"`, Perl `subtest "name" =>`, Clojure `(deftest name`, bats
        // `@test "name" {`
        r#"^\s*@testset\s+"([^"]*)"|^\s*subtest\s*\(?\s*(?:'([^']*)'|"([^"]*)")|^\s*\(deftest\s+([\w\-?!*]+)|^\s*@test\s+"([^"]*)"\s*\{\s*$"#
    ))
    .expect("test def regex")
});

static MARKER_DEF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*#\[\s*(?:tokio::|async_std::|actix_rt::|rstest|test_case|test\b)|^\s*@(?:Test|ParameterizedTest|RepeatedTest|TestFactory)\b|^\s*\[\s*(?:Fact|Theory|Test|TestMethod|TestCase|DataTestMethod)\b",
    )
    .expect("marker def regex")
});

/// The test a line opens, if any.
pub(super) fn test_def(line: &str) -> Option<TestDef> {
    if let Some(c) = NAMED_DEF.captures(line) {
        let name = c
            .iter()
            .skip(1)
            .flatten()
            .next()
            .map(|m| m.as_str().to_string())?;
        return Some(TestDef::Named(name));
    }
    MARKER_DEF.is_match(line).then_some(TestDef::Marker)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strengths() {
        assert_eq!(strength("assert a == b"), Strength::Exact);
        assert_eq!(strength("assert a in (b, c)"), Strength::Loose);
        assert_eq!(strength("assert abs(s - e) <= 2.0"), Strength::Loose);
        assert_eq!(strength("self.assertEqual(a, b)"), Strength::Exact);
        assert_eq!(strength("self.assertIn(a, b)"), Strength::Loose);
        assert_eq!(strength("expect(x).toBe(3)"), Strength::Exact);
        assert_eq!(strength("expect(x).toBeDefined()"), Strength::Truthy);
        assert_eq!(strength("assert_eq!(a, b);"), Strength::Exact);
        assert_eq!(strength("assert!(a > b);"), Strength::Loose);
        assert_eq!(strength("assert!(out.contains(\"x\"));"), Strength::Loose);
        assert_eq!(strength("assert x"), Strength::Truthy);
        assert_eq!(strength("assert x >= 3"), Strength::Loose);
        // Shouldly
        assert_eq!(strength("result.ShouldBe(2);"), Strength::Exact);
        assert_eq!(strength("result.ShouldContain(\"a\");"), Strength::Loose);
        assert_eq!(strength("result.ShouldNotBeNull();"), Strength::Truthy);
    }

    #[test]
    fn checks_of_more_frameworks() {
        for line in [
            "        result.ShouldContain(\"Ping Pong\");",
            "        await Should.ThrowAsync<ArgumentNullException>(async () => await m.Send(r));",
            "        Should.NotThrow(() => run());",
            "            .andExpect(status().isOk())",
            "        self.fail('Expected ValueError')",
            "        fail(\"no exception\");",
            "        pytest.fail(\"unreachable\")",
        ] {
            assert!(is_assertion(line), "{line}");
        }
        for line in [
            "        $this->assertSame(20, $chunk->start());",
            "        self::assertTrue($ok);",
            "        $this->expectException(RuntimeException::class);",
            "\t\t\tExpect(buffer.Contents()).Should(Equal([]byte(\"abc\")))",
            "\tΩ(err).ShouldNot(HaveOccurred())",
        ] {
            assert!(is_assertion(line), "{line}");
        }
        for line in [
            "        failures = 0",
            "        result = Should(x)",
            "        self.failed = True",
        ] {
            assert!(!is_assertion(line), "{line}");
        }
    }

    #[test]
    fn tolerances() {
        assert_eq!(
            tolerance("assert x == pytest.approx(y, abs=0.1)"),
            Some(0.1)
        );
        assert_eq!(tolerance("assert abs(s - e) <= 2.0"), Some(2.0));
        assert_eq!(
            tolerance("self.assertAlmostEqual(a, b, places=2)"),
            Some(-2.0)
        );
        assert_eq!(tolerance("assert a == b"), None);
        assert_eq!(tolerance("x.ShouldBe(2.0, 1e6);"), Some(1e6));
        assert_eq!(tolerance("x.ShouldBe(\"a\", \"why\");"), None);
    }

    #[test]
    fn defs() {
        assert_eq!(
            test_def("def test_x(a):"),
            Some(TestDef::Named("test_x".into()))
        );
        assert_eq!(
            test_def("  test('rm -rf', () => {"),
            Some(TestDef::Named("rm -rf".into()))
        );
        assert_eq!(
            test_def("  test.skip('rm -rf', () => {"),
            Some(TestDef::Named("rm -rf".into()))
        );
        assert_eq!(
            test_def("func TestFoo(t *testing.T) {"),
            Some(TestDef::Named("TestFoo".into()))
        );
        assert_eq!(test_def("    #[test]"), Some(TestDef::Marker));
        assert_eq!(
            test_def("\t\tIt(\"should buffer\", func() {"),
            Some(TestDef::Named("should buffer".into()))
        );
        assert_eq!(
            test_def("\t\tFIt(\"should buffer\", func() {"),
            Some(TestDef::Named("should buffer".into()))
        );
        assert_eq!(
            test_def("    @testset \"from vec\" begin"),
            Some(TestDef::Named("from vec".into()))
        );
        assert_eq!(
            test_def("subtest 'finally' => sub {"),
            Some(TestDef::Named("finally".into()))
        );
        assert_eq!(
            test_def("(deftest test-abs"),
            Some(TestDef::Named("test-abs".into()))
        );
        assert_eq!(
            test_def("@test \"reads the file\" {"),
            Some(TestDef::Named("reads the file".into()))
        );
        assert_eq!(test_def("    @test x == 1"), None);
        assert_eq!(test_def("    result = run_test(x)"), None);
        assert_eq!(test_def("def add_events(x):"), None);
    }

    #[test]
    fn token_helpers() {
        let a = tokens("assert value.value == \"test\"");
        let b = tokens("assert invariant_value.value == \"test\"");
        assert!(!is_extension(&a, &b));
        let c = tokens("assert value.value == \"test\", \"why\"");
        assert!(is_extension(&a, &c));
        assert!(tokens("x = 'a b' + 1.5").contains(&"'a b'"));
        assert!(is_literal("1.5") && is_literal("'a'") && !is_literal("x"));
    }
}
