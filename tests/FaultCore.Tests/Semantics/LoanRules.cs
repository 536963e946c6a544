using FaultLab.Core;

namespace FaultLab.Core.Tests.Semantics;

/// <summary>SEMANTICS.md, "Operations": loan / unloan.</summary>
public sealed class LoanRules
{
    [Fact]
    public void Loan_never_faults_and_adds_no_mapping_to_the_lenders_pmap()
    {
        // uvm_loan looks each page up in its map entry (uvm_loanentry); it never calls the fault handler.
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 3, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x12000, FaultCase.Lower2B, write: 0x33);
        m.ResetCounters();
        T.Ok(m.Loan(p, 0x10000, 3));
        Assert.Equal(0, m.Counters.faults);
        Assert.Equal(0, m.Counters.flt_przero);
        Assert.Equal(1, m.CountMapped(p, 0x10000, 3)); // only the page the write mapped
        Assert.Equal(3, m.Loans.Count);
        var zero = m.Loans[0].Page;
        Assert.Equal(zero, m.Loans[1].Page); // both untouched pages lend uvm_loanzero_object's single page
        Assert.Equal(2, m.Page(zero).LoanCount);
        Assert.False(m.Page(zero).HasOwner);
        var written = m.MappedPage(p, 0x12000);
        Assert.Equal(written, m.Loans[2].Page);
        Assert.Equal(1, m.Page(written).LoanCount);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x12000));
        Assert.Equal(0x33, m.Peek(p, 0x12000));
        Assert.Equal(0, m.Peek(p, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Loan_makes_every_mapping_of_the_page_read_only()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonShared));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 1);
        T.Ok(m.Fork(p, out var c));
        m.Access(c, 0x10000, FaultCase.Upper1A, prot: Prot.ReadWrite);
        T.Ok(m.Loan(p, 0x10000, 1));
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000));
        Assert.Equal(Prot.Read, m.MappedProt(c, 0x10000));
        m.NoViolations();
    }

    [Fact]
    public void Loan_of_a_wired_page_is_EINVAL_and_of_an_unmapped_one_ENOENT_and_lends_nothing()
    {
        // uvm_loananon refuses a wired page (-1: uvm_loan's EINVAL); uvmfault_lookup failing is ENOENT; either
        // way uvm_loan ends the loans it made before failing.
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        T.Ok(m.Mmap(p, 0x11000, 1, Prot.ReadWrite, MapKind.AnonPrivate, wired: true));
        Assert.Equal(Errno.EINVAL, m.Loan(p, 0x10000, 2));
        Assert.Empty(m.Loans);
        Assert.Equal(0, m.Page(m.MappedPage(p, 0x10000)).LoanCount);
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x11000));
        Assert.Equal(Errno.ENOENT, m.Loan(p, 0x40000, 1));
        T.Ok(m.Mmap(p, 0x20000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        Assert.Equal(Errno.ENOENT, m.Loan(p, 0x20000, 2)); // the second page is unmapped
        Assert.Empty(m.Loans);
        Assert.Equal(0, m.Page(m.LoanZeroPage).LoanCount); // the zero page lent for the first went back
        Assert.Equal(0, m.Page(m.MappedPage(p, 0x10000)).LoanCount);
        m.NoViolations();
    }

    [Fact]
    public void Unloan_ends_the_loans_of_the_range_and_is_EINVAL_if_a_page_of_it_has_none()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 1);
        m.Write(p, 0x11000, 2);
        T.Ok(m.Loan(p, 0x10000, 1));
        Assert.Equal(Errno.EINVAL, m.Unloan(p, 0x10000, 2));
        Assert.Single(m.Loans); // all or nothing
        Assert.Equal(Errno.EINVAL, m.Unloan(p, 0x11000, 1));
        var pg = m.MappedPage(p, 0x10000);
        T.Ok(m.Unloan(p, 0x10000, 1));
        Assert.Empty(m.Loans);
        Assert.Equal(0, m.Page(pg).LoanCount);
        Assert.Equal(Prot.Read, m.MappedProt(p, 0x10000)); // unloan adds no rights back
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.ReadWrite, write: 3);
        Assert.Equal(pg, m.MappedPage(p, 0x10000)); // same page: no copy needed any more
        m.NoViolations();
    }

    [Fact]
    public void Read_fault_on_a_loaned_anon_page_caps_the_mapping_at_read_only_and_neighbours_skip_it()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 2, Prot.ReadWrite, MapKind.AnonShared));
        m.Write(p, 0x10000, 0x10);
        m.Write(p, 0x11000, 0x11);
        T.Ok(m.Fork(p, out var c));
        T.Ok(m.Loan(p, 0x10000, 1));
        // the lent page is not entered as a neighbour
        m.Access(c, 0x11000, FaultCase.Upper1A, neighbors: 0, prot: Prot.ReadWrite, value: 0x11);
        Assert.Equal(0, m.CountMapped(c, 0x10000, 1));
        // an_ref is 1 (1A would enter rw) but uvm_fault_upper_loan caps a read at r
        Assert.Equal(1, m.Anons[m.AnonAt(c, 0x10000).Index].Ref);
        m.Access(c, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.Read, value: 0x10);
        Assert.Equal(1, m.Page(m.MappedPage(c, 0x10000)).LoanCount);
        m.NoViolations();
    }

    [Fact]
    public void Write_to_a_loaned_anon_with_an_ref_1_breaks_the_loan_process_gets_a_copy_kernel_keeps_the_old_page()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x41);
        T.Ok(m.Loan(p, 0x10000, 1));
        var old = m.MappedPage(p, 0x10000);
        var anon = m.AnonAt(p, 0x10000);
        int free = m.FreePages;
        m.ResetCounters();
        m.Access(p, 0x10000, FaultCase.Upper1A, restarts: 0, prot: Prot.ReadWrite, write: 0x42);
        var now = m.MappedPage(p, 0x10000);
        Assert.NotEqual(old, now);
        Assert.Equal(anon, m.AnonAt(p, 0x10000));
        Assert.Equal(now, m.Anons[anon.Index].Page);
        Assert.Equal(0, m.Page(now).LoanCount);
        Assert.Equal(free - 1, m.FreePages);
        // the kernel's page: unchanged, lent, owned by nobody, on no paging queue
        Assert.Equal(0x41, m.Mem.Frame(old)[0]);
        Assert.Equal(1, m.Page(old).LoanCount);
        Assert.False(m.Page(old).HasOwner);
        Assert.Equal(PageQueue.None, m.Page(old).Queue);
        Assert.Equal(0, m.Page(old).PvHead);
        Assert.Equal(old, m.Loans[0].Page);
        Assert.Equal(0, m.Counters.flt_acow);
        Assert.Equal(1, m.Counters.flt_anon);
        Assert.Equal(0x42, m.Peek(p, 0x10000));
        T.Ok(m.Unloan(p, 0x10000, 1));
        Assert.Equal(free, m.FreePages); // the kernel's page is freed with its last loan
        m.NoViolations();
    }

    [Fact]
    public void Write_to_a_loaned_anon_with_an_ref_above_1_is_a_normal_copy_on_write_and_the_loan_stays()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Access(p, 0x10000, FaultCase.Lower2B, write: 0x41);
        T.Ok(m.Fork(p, out var c));
        T.Ok(m.Loan(p, 0x10000, 1));
        var lent = m.MappedPage(p, 0x10000);
        m.Access(p, 0x10000, FaultCase.Upper1B, restarts: 1, prot: Prot.ReadWrite, write: 0x42);
        Assert.NotEqual(lent, m.MappedPage(p, 0x10000));
        Assert.Equal(1, m.Page(lent).LoanCount);
        Assert.True(m.Page(lent).HasOwner); // still the child's anon page
        Assert.Equal(m.AnonAt(c, 0x10000), m.Page(lent).Anon);
        m.Access(c, 0x10000, FaultCase.Upper1A, prot: Prot.Read, value: 0x41);
        m.NoViolations();
    }

    [Fact]
    public void Read_fault_on_a_loaned_object_page_caps_the_mapping_at_read_only()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        var q = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(p, 0x100000, FaultCase.Lower2A, write: 0x50); // the vnode is dirty: no write tracking
        T.Ok(m.Loan(p, 0x100000, 1));
        T.Ok(m.Mmap(q, 0x200000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        m.Access(q, 0x201000, FaultCase.Lower2A, neighbors: 1, prot: Prot.ReadWrite, value: 1);
        Assert.Equal(Prot.Read, m.MappedProt(q, 0x200000)); // lent neighbour: read-only
        T.Ok(m.Mprotect(q, 0x200000, 1, Prot.None));
        T.Ok(m.Mprotect(q, 0x200000, 1, Prot.ReadWrite));
        m.Access(q, 0x200000, FaultCase.Lower2A, restarts: 0, prot: Prot.Read, value: 0x50);
        m.NoViolations();
    }

    [Fact]
    public void Write_to_a_loaned_shared_file_page_breaks_the_loan_object_gets_a_copy_kernel_keeps_the_old_page()
    {
        var m = T.NewMachine();
        var f = m.CreateFile(2, resident: true);
        var p = m.CreateProcess();
        var q = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x100000, 2, Prot.ReadWrite, MapKind.FileShared, f));
        T.Ok(m.Mmap(q, 0x200000, 2, Prot.Read, MapKind.FileShared, f));
        T.Ok(m.Loan(p, 0x100000, 1));
        var old = m.Obj(f).Resident[0];
        m.Access(q, 0x200000, FaultCase.Lower2A, prot: Prot.Read);
        Assert.Equal(old, m.MappedPage(q, 0x200000));
        int free = m.FreePages;
        m.Access(p, 0x100000, FaultCase.Lower2A, restarts: 0, prot: Prot.ReadWrite, write: 0x77);
        var now = m.Obj(f).Resident[0];
        Assert.NotEqual(old, now);
        Assert.Equal(now, m.MappedPage(p, 0x100000));
        Assert.Equal(free - 1, m.FreePages);
        Assert.Equal(0, m.Mem.Frame(old)[0]); // the kernel keeps the old contents
        Assert.Equal(1, m.Page(old).LoanCount);
        Assert.False(m.Page(old).HasOwner);
        Assert.Equal(PageQueue.None, m.Page(old).Queue);
        Assert.Equal(0, m.CountMapped(q, 0x200000, 1)); // every mapping of the old page is gone
        m.Access(q, 0x200000, FaultCase.Lower2A, value: 0x77);
        Assert.Equal(0x01, m.Peek(q, 0x200001));
        T.Ok(m.Unloan(p, 0x100000, 1));
        Assert.Equal(free, m.FreePages);
        m.NoViolations();
    }

    [Fact]
    public void Mlock_of_a_loaned_anon_page_breaks_the_loan_because_wiring_faults_are_cow_now()
    {
        var m = T.NewMachine();
        var p = m.CreateProcess();
        T.Ok(m.Mmap(p, 0x10000, 1, Prot.ReadWrite, MapKind.AnonPrivate));
        m.Write(p, 0x10000, 0x41);
        T.Ok(m.Loan(p, 0x10000, 1));
        var old = m.MappedPage(p, 0x10000);
        T.Ok(m.Mlock(p, 0x10000, 1));
        var now = m.MappedPage(p, 0x10000);
        Assert.NotEqual(old, now);
        Assert.Equal(1, m.Page(now).WireCount);
        Assert.Equal(Prot.ReadWrite, m.MappedProt(p, 0x10000));
        Assert.Equal(1, m.Page(old).LoanCount);
        Assert.False(m.Page(old).HasOwner);
        m.NoViolations();
    }
}
