using System.Collections.Immutable;
using FaultLab.Core;

namespace FaultLab.Workloads.Scenarios;

/// <summary>
/// The grammar of one line (SCENARIOS.md, "Statements"), syntax only: whether the names it uses exist is
/// <see cref="NameBinder"/>'s question.
/// </summary>
internal static class StatementParser
{
    private static readonly string[] ProcessVerbs =
        ["mmap", "munmap", "mprotect", "madvise", "mlock", "munlock", "loan", "unloan", "fork", "exit", "read", "write"];

    private static readonly string ProcessOperations = string.Join(", ", ProcessVerbs);

    /// <param name="isProcess">Whether a name has been defined as a process so far: it tells a misspelt
    /// statement (<c>pagedeamon 4</c>) from a process given a wrong operation (<c>p1 jump</c>).</param>
    /// <exception cref="SyntaxException">The line is not a statement.</exception>
    /// <param name="vocabulary">The family in force; a <c>machine family=</c> statement sets it.</param>
    public static Statement Parse(ImmutableArray<Token> line, Func<string, bool> isProcess, Vocabulary vocabulary)
    {
        var arrow = IndexOfArrow(line);
        var body = arrow < 0 ? line : line[..arrow];
        if (body.IsEmpty)
        {
            throw new SyntaxException(line[0].Column, "missing statement before '=>'");
        }

        var cursor = new TokenCursor(body);
        var (statement, shape) = ParseBody(cursor, isProcess, vocabulary);
        cursor.ExpectEnd();
        statement = statement with { Tokens = line };
        RequireFeature(statement, body, vocabulary);

        if (arrow < 0)
        {
            return statement;
        }
        return shape is { } s
            ? statement with { Expected = OutcomeParser.Parse(line[arrow], line[(arrow + 1)..], s, vocabulary) }
            : throw new SyntaxException(line[arrow].Column, "an expect statement takes no '=>' clause");
    }

    /// <summary>A statement that needs what the family's machines cannot do (files, wiring, loans, pageout) is an
    /// error at the word that asks for it.</summary>
    private static void RequireFeature(Statement statement, ImmutableArray<Token> body, Vocabulary vocabulary)
    {
        var (feature, word) = statement switch
        {
            FileStatement => (FamilyFeatures.Files, "file"),
            MmapStatement { Kind: MapKind.FilePrivate or MapKind.FileShared } => (FamilyFeatures.Files, "file"),
            MmapStatement { Wired: true } => (FamilyFeatures.Wiring, "wired"),
            RangeStatement { Operation: RangeOperation.Mlock } => (FamilyFeatures.Wiring, "mlock"),
            RangeStatement { Operation: RangeOperation.Munlock } => (FamilyFeatures.Wiring, "munlock"),
            RangeStatement { Operation: RangeOperation.Loan } => (FamilyFeatures.Loans, "loan"),
            RangeStatement { Operation: RangeOperation.Unloan } => (FamilyFeatures.Loans, "unloan"),
            PageoutStatement => (FamilyFeatures.Pageout, "pageout"),
            _ => (FamilyFeatures.None, ""),
        };
        if (feature == FamilyFeatures.None || vocabulary.Family.Has(feature))
            return;
        var index = body.IndexOf(body.FirstOrDefault(t => t.Text == word));
        var at = body[Math.Max(index, 0)];
        throw new SyntaxException(at.Column, $"{vocabulary.Machine} has no {Excerpt.Quote(word)}: its family has no {feature.ToString().ToLowerInvariant()}");
    }

    /// <returns>The statement (its <see cref="Statement.Tokens"/> still to be set) and what its outcome may say;
    /// no shape for <c>expect</c>, which has no outcome clause.</returns>
    private static (Statement, OutcomeShape?) ParseBody(TokenCursor cursor, Func<string, bool> isProcess, Vocabulary vocabulary)
    {
        var head = cursor.Next("statement");
        return head.Text switch
        {
            "machine" => (Machine(cursor, vocabulary), OutcomeShape.Operation),
            "file" => (File(cursor), OutcomeShape.Operation),
            "proc" => (new ProcStatement(Definition(cursor, "process name")) { Tokens = [] }, OutcomeShape.Operation),
            "pageout" => (new PageoutStatement(cursor.Name("process name"), cursor.Address(), cursor.PageCount()) { Tokens = [] },
                OutcomeShape.Operation),
            "pagedaemon" => (new PageDaemonStatement(cursor.PageCount()) { Tokens = [] }, OutcomeShape.Operation),
            "reset" => (ResetCounters(cursor), OutcomeShape.Operation),
            "expect" => (Expect(cursor, vocabulary), null),
            _ when Syntax.IsName(head.Text) && (isProcess(head.Text) || cursor.PeekIs(ProcessVerbs)) =>
                ProcessOperation(cursor, head),
            _ => throw new SyntaxException(head.Column, $"unknown statement {Excerpt.Quote(head.Text)}"),
        };
    }

    private static MachineStatement Machine(TokenCursor cursor, Vocabulary vocabulary)
    {
        int? pages = null, swap = null;
        MachineFamily? family = null;
        while (cursor.TryNext(out var token))
        {
            var (key, value) = SplitKey(token);
            switch (key)
            {
                case "pages" when value is not null && pages is null:
                    pages = TokenCursor.Size(token, value, "a page count", MachineConfig.MaxPages, "of frames");
                    break;
                case "swap" when value is not null && swap is null:
                    swap = TokenCursor.Size(token, value, "swap", MachineConfig.MaxSwapSlots, "of swap", min: 0);
                    break;
                case "family" when value is not null && family is null:
                    family = vocabulary.Catalog.Find(value) ?? throw new SyntaxException(token.Column + key.Length + 1,
                        $"unknown machine family {Excerpt.Quote(value)}; known: {string.Join(", ", vocabulary.Catalog.Names)}");
                    break;
                case "pages" or "swap" or "family" when value is not null:
                    throw new SyntaxException(token.Column, $"{Excerpt.Quote(key)} given twice");
                default:
                    throw new SyntaxException(token.Column, $"expected pages=N, swap=N or family=NAME, got {Excerpt.Quote(token.Text)}");
            }
        }
        if (family is not null)
            vocabulary.Family = family;
        return new MachineStatement(pages, swap, family) { Tokens = [] };
    }

    private static FileStatement File(TokenCursor cursor)
    {
        var name = Definition(cursor, "file name");
        int? pages = null;
        var resident = false;
        while (cursor.TryNext(out var token))
        {
            var (key, value) = SplitKey(token);
            switch (key)
            {
                case "pages" when value is not null && pages is null:
                    pages = TokenCursor.Size(token, value, "a page count", MachineConfig.MaxFilePages, "of disk");
                    break;
                case "resident" when value is null && !resident:
                    resident = true;
                    break;
                case "pages" when value is not null:
                case "resident" when value is null:
                    throw new SyntaxException(token.Column, $"{Excerpt.Quote(key)} given twice");
                default:
                    throw new SyntaxException(token.Column, $"expected pages=N or resident, got {Excerpt.Quote(token.Text)}");
            }
        }
        return pages is { } n
            ? new FileStatement(name, n, resident) { Tokens = [] }
            : throw new SyntaxException(name.EndColumn, "missing pages=N");
    }

    private static ResetCountersStatement ResetCounters(TokenCursor cursor)
    {
        cursor.Keyword("counters");
        return new ResetCountersStatement { Tokens = [] };
    }

    private static Statement Expect(TokenCursor cursor, Vocabulary vocabulary)
    {
        var what = cursor.Next("what to expect (counter, mapped, resident, wired, prot or value)");
        return what.Text switch
        {
            "counter" => ExpectCounter(cursor, vocabulary),
            "mapped" => ExpectPageCount(cursor, PageCountKind.Mapped),
            "resident" => ExpectPageCount(cursor, PageCountKind.Resident),
            "wired" => ExpectPageCount(cursor, PageCountKind.Wired),
            "prot" => new ExpectProtStatement(cursor.Name("process name"), cursor.Address(), cursor.Prot()) { Tokens = [] },
            "value" => new ExpectValueStatement(cursor.Name("process name"), cursor.Address(), cursor.Byte()) { Tokens = [] },
            _ => throw new SyntaxException(what.Column,
                $"unknown expectation {Excerpt.Quote(what.Text)}; known: counter, mapped, resident, wired, prot, value"),
        };
    }

    private static ExpectCounterStatement ExpectCounter(TokenCursor cursor, Vocabulary vocabulary)
    {
        var name = cursor.Next("counter name");
        var family = vocabulary.Family;
        if (family.CounterIndex(name.Text) < 0)
        {
            throw new SyntaxException(name.Column,
                $"unknown counter {Excerpt.Quote(name.Text)} for {vocabulary.Machine}" +
                $"{Vocabulary.Whose(vocabulary.Catalog.CounterOwners(name.Text, family), "counter")}; known: {string.Join(", ", family.Counters)}");
        }
        var value = TokenCursor.Bounded(cursor.Next("counter value"), "a counter value", 0, long.MaxValue);
        return new ExpectCounterStatement(name.Text, value) { Tokens = [] };
    }

    private static ExpectPageCountStatement ExpectPageCount(TokenCursor cursor, PageCountKind kind) =>
        new(kind, cursor.Name("process name"), cursor.Address(), cursor.PageCount(), cursor.Count("count")) { Tokens = [] };

    private static (Statement, OutcomeShape?) ProcessOperation(TokenCursor cursor, Token proc)
    {
        var verb = cursor.Next("operation after the process name");
        Statement statement = verb.Text switch
        {
            "mmap" => Mmap(cursor, proc),
            "munmap" => Range(cursor, proc, RangeOperation.Munmap),
            "mlock" => Range(cursor, proc, RangeOperation.Mlock),
            "munlock" => Range(cursor, proc, RangeOperation.Munlock),
            "loan" => Range(cursor, proc, RangeOperation.Loan),
            "unloan" => Range(cursor, proc, RangeOperation.Unloan),
            "mprotect" => new MprotectStatement(proc, cursor.Address(), cursor.PageCount(), cursor.Prot()) { Tokens = [] },
            "madvise" => new MadviseStatement(proc, cursor.Address(), cursor.PageCount(), ParseAdvice(cursor)) { Tokens = [] },
            "fork" => new ForkStatement(proc, Definition(cursor, "child process name")) { Tokens = [] },
            "exit" => new ExitStatement(proc) { Tokens = [] },
            "read" => new ReadStatement(proc, cursor.Address()) { Tokens = [] },
            "write" => new WriteStatement(proc, cursor.Address(), cursor.Byte()) { Tokens = [] },
            _ => throw new SyntaxException(verb.Column, $"unknown operation {Excerpt.Quote(verb.Text)}; known: {ProcessOperations}"),
        };
        var shape = statement switch
        {
            ReadStatement => OutcomeShape.Read,
            WriteStatement => OutcomeShape.Write,
            _ => OutcomeShape.Operation,
        };
        return (statement, shape);
    }

    private static RangeStatement Range(TokenCursor cursor, Token proc, RangeOperation op) =>
        new(proc, op, cursor.Address(), cursor.PageCount()) { Tokens = [] };

    private static MmapStatement Mmap(TokenCursor cursor, Token proc)
    {
        var address = cursor.Address();
        var pages = cursor.PageCount();
        var prot = cursor.Prot();

        var backing = cursor.Next("backing (anon or file=FILE[@PGOFF])");
        Token? file = null;
        long pageOffset = 0;
        if (backing.Text.StartsWith("file=", StringComparison.Ordinal))
        {
            (file, pageOffset) = FileBacking(backing);
        }
        else if (backing.Text != "anon")
        {
            throw new SyntaxException(backing.Column, $"expected anon or file=FILE[@PGOFF], got {Excerpt.Quote(backing.Text)}");
        }

        var sharing = cursor.Next("private or shared");
        var shared = sharing.Text switch
        {
            "private" => false,
            "shared" => true,
            _ => throw new SyntaxException(sharing.Column, $"expected private or shared, got {Excerpt.Quote(sharing.Text)}"),
        };

        var wired = false;
        if (cursor.TryNext(out var flag))
        {
            wired = flag.Text == "wired"
                ? true
                : throw new SyntaxException(flag.Column, $"unexpected {Excerpt.Quote(flag.Text)} at the end of the statement");
        }

        var kind = (file is null, shared) switch
        {
            (true, false) => MapKind.AnonPrivate,
            (true, true) => MapKind.AnonShared,
            (false, false) => MapKind.FilePrivate,
            (false, true) => MapKind.FileShared,
        };
        return new MmapStatement(proc, address, pages, prot, kind, file, pageOffset, wired) { Tokens = [] };
    }

    /// <summary><c>file=FILE[@PGOFF]</c>: the file name becomes a token of its own so a use of an undefined file
    /// can point at the name.</summary>
    private static (Token File, long PageOffset) FileBacking(Token backing)
    {
        const int prefix = 5; // "file="
        var text = backing.Text[prefix..];
        var at = text.IndexOf('@');
        var name = at < 0 ? text : text[..at];
        var file = new Token(name, backing.Line, backing.Column + prefix);
        if (!Syntax.IsName(name))
        {
            throw new SyntaxException(backing.Column, $"expected file=FILE[@PGOFF] with FILE a name, got {Excerpt.Quote(backing.Text)}");
        }
        // A file has at most MaxFilePages pages, so no larger offset means anything (and none can overflow).
        var pageOffset = at < 0 ? 0 : TokenCursor.Size(backing, text[(at + 1)..], "a page offset", MachineConfig.MaxFilePages, "of file", min: 0);
        return (file, pageOffset);
    }

    private static Advice ParseAdvice(TokenCursor cursor)
    {
        var token = cursor.Next("advice (normal, random or sequential)");
        return Syntax.TryParseAdvice(token.Text, out var advice)
            ? advice
            : throw new SyntaxException(token.Column, $"expected normal, random or sequential, got {Excerpt.Quote(token.Text)}");
    }

    /// <summary>A name being defined: keywords are refused, since a line starting with one is that statement.</summary>
    private static Token Definition(TokenCursor cursor, string what)
    {
        var name = cursor.Name(what);
        return Syntax.Keywords.Contains(name.Text)
            ? throw new SyntaxException(name.Column, $"{Excerpt.Quote(name.Text)} is a keyword and cannot be a name")
            : name;
    }

    /// <returns>The key and, when the token has an <c>=</c>, the text after it.</returns>
    private static (string Key, string? Value) SplitKey(Token token)
    {
        var equals = token.Text.IndexOf('=');
        return equals < 0 ? (token.Text, null) : (token.Text[..equals], token.Text[(equals + 1)..]);
    }

    private static int IndexOfArrow(ImmutableArray<Token> line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i].Text == "=>")
            {
                return i;
            }
        }
        return -1;
    }
}
