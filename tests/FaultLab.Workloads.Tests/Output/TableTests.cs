using FaultLab.Workloads.Output;

namespace FaultLab.Workloads.Tests.Output;

/// <summary>The lab's one table writer: the same rows as aligned text, markdown and CSV.</summary>
public class TableTests
{
    private static Table Sample()
    {
        var table = new Table("workload", "ns/fault", "note").AlignRight("ns/fault");
        table.Add("soft-refault", "41.5", "");
        table.Add("anon-zfod", "1234", "a, \"quoted\" | piped");
        return table;
    }

    [Fact]
    public void Text_aligns_numbers_right_and_trims_trailing_spaces()
    {
        Assert.Equal(
            "workload      ns/fault  note\n" +
            "------------  --------  -------------------\n" +
            "soft-refault      41.5\n" +
            "anon-zfod         1234  a, \"quoted\" | piped\n",
            Sample().ToText());
    }

    [Fact]
    public void Markdown_marks_right_aligned_columns_and_escapes_pipes()
    {
        Assert.Equal(
            "| workload | ns/fault | note |\n" +
            "|---|---:|---|\n" +
            "| soft-refault | 41.5 |  |\n" +
            "| anon-zfod | 1234 | a, \"quoted\" \\| piped |\n",
            Sample().ToMarkdown());
    }

    [Fact]
    public void Csv_quotes_cells_with_commas_and_quotes()
    {
        Assert.Equal(
            "workload,ns/fault,note\n" +
            "soft-refault,41.5,\n" +
            "anon-zfod,1234,\"a, \"\"quoted\"\" | piped\"\n",
            Sample().ToCsv());
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Sample().Add("one"));
        Assert.Throws<ArgumentException>(() => new Table("a").AlignRight("b"));
    }
}
