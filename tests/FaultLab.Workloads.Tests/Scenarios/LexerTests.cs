using FaultLab.Workloads.Scenarios;

namespace FaultLab.Workloads.Tests.Scenarios;

public class LexerTests
{
    [Fact]
    public void Tokens_carry_their_line_and_one_based_column()
    {
        var lines = Lexer.Tokenize("proc p1\n  p1\tread 0x10");

        Assert.Equal([new Token("proc", 1, 1), new Token("p1", 1, 6)], lines[0].ToArray());
        Assert.Equal([new Token("p1", 2, 3), new Token("read", 2, 6), new Token("0x10", 2, 11)], lines[1].ToArray());
    }

    [Fact]
    public void Comments_and_blank_lines_yield_no_statement_but_keep_line_numbers()
    {
        var lines = Lexer.Tokenize("# heading\n\n   \nproc p1   # trailing comment\r\n# end");

        var line = Assert.Single(lines);
        Assert.Equal([new Token("proc", 4, 1), new Token("p1", 4, 6)], line.ToArray());
    }

    [Fact]
    public void A_comment_may_follow_a_token_without_a_space()
    {
        var line = Assert.Single(Lexer.Tokenize("proc p1# no space"));

        Assert.Equal(["proc", "p1"], line.Select(t => t.Text));
    }
}
