namespace FaultLab.Core.Tests;

/// <summary>
/// The model's size limits (MachineConfig's maxima): what is beyond them is refused with a message that says how much
/// memory it would need, what is at them runs, and no size arithmetic can overflow.
/// </summary>
public class LimitTests
{
    [Fact]
    public void The_maxima_are_what_the_arrays_can_hold_without_overflow()
    {
        // Frames, swap slots and file pages are PageBytes each, addressed by int offsets (index * PAGE_SIZE).
        Assert.True((MachineConfig.MaxPages + 1L) * MachineConfig.PageBytes <= Array.MaxLength);
        Assert.True((MachineConfig.MaxSwapSlots + 1L) * MachineConfig.PageBytes <= Array.MaxLength);
        Assert.True((long)MachineConfig.MaxFilePages * MachineConfig.PageBytes <= Array.MaxLength);
        Assert.True((MachineConfig.MaxPageTablePages + 1L) * 512 <= Array.MaxLength);
        Assert.Equal(1 << 27, MachineConfig.MaxRangePages);
    }

    [Theory]
    [InlineData(MachineConfig.MaxPages + 1, 0, "pages must be at most 262144 (1 GiB of frames); 262145 would need 1 GiB")]
    [InlineData(1_048_576, 0, "pages must be at most 262144 (1 GiB of frames); 1048576 would need 4 GiB")]
    [InlineData(0, 0, "pages must be at least 1, got 0")]
    [InlineData(16, MachineConfig.MaxSwapSlots + 1, "swap slots must be at most 262144 (1 GiB of swap); 262145 would need 1 GiB")]
    [InlineData(16, int.MaxValue, "swap slots must be at most 262144 (1 GiB of swap); 2147483647 would need 8 TiB")]
    [InlineData(16, -1, "swap slots must be at least 0, got -1")]
    public void A_machine_beyond_the_limits_is_refused_with_the_memory_it_would_need(int pages, int swap, string message)
    {
        var config = new MachineConfig { Pages = pages, SwapSlots = swap };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Machine(config));

        Assert.Equal(message, config.Problem());
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Page_table_pages_are_held_to_their_limit_too()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Machine(new MachineConfig { PageTablePages = MachineConfig.MaxPageTablePages + 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Machine(new MachineConfig { PageTablePages = 2 }));
    }

    [Fact]
    public void A_machine_at_the_limits_runs()
    {
        var m = new Machine(new MachineConfig { Pages = MachineConfig.MaxPages, SwapSlots = MachineConfig.MaxSwapSlots });
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.ReadWrite, MapKind.AnonPrivate));

        Assert.Equal(Errno.OK, m.Write(p, 0x10000, 0x41).Error);
        Assert.Equal(0x41, m.Read(p, 0x10000).Value);
        Assert.Equal(MachineConfig.MaxPages - 1, m.FreePages);
        m.NoViolations();
    }

    [Fact]
    public void A_file_beyond_the_limit_is_refused_and_the_machine_goes_on()
    {
        var m = T.NewMachine();

        var one = Assert.Throws<ArgumentOutOfRangeException>(() => m.CreateFile(MachineConfig.MaxFilePages + 1, resident: false));
        Assert.StartsWith("file pages must be at most 262144 (1 GiB of disk); 262145 would need 1 GiB", one.Message);
        var big = Assert.Throws<ArgumentOutOfRangeException>(() => m.CreateFile(524_288, resident: false));
        Assert.StartsWith("file pages must be at most 262144 (1 GiB of disk); 524288 would need 2 GiB", big.Message);

        var f = m.CreateFile(4, resident: false);
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 4, Prot.Read, MapKind.FilePrivate, f));
        Assert.Equal(1, m.Read(p, 0x11000).Value); // byte 0 of page 1
    }

    [Fact]
    public void The_files_of_a_machine_are_held_to_the_limit_together()
    {
        var m = T.NewMachine();
        m.CreateFile(MachineConfig.MaxFilePages - 8, resident: false);
        m.CreateFile(8, resident: false); // exactly at the limit

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => m.CreateFile(1, resident: false));

        Assert.StartsWith("the files of a machine have at most 262144 pages together (1 GiB of disk); this one would make 262145 (1 GiB)", error.Message);
    }

    [Theory]
    [InlineData(1, "4 KiB")]
    [InlineData(256, "1 MiB")]
    [InlineData(262_144, "1 GiB")]
    [InlineData(393_216, "1.5 GiB")]
    [InlineData(long.MaxValue, "32 ZiB")]
    public void Sizes_are_stated_in_binary_units_without_overflow(long pages, string text)
    {
        Assert.Equal(text, MachineConfig.Bytes(pages));
    }
}
