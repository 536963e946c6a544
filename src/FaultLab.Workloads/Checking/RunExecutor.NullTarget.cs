using FaultLab.Core;

namespace FaultLab.Workloads.Checking;

internal sealed partial class RunExecutor
{
    /// <summary>Stands in when the target could not even be created.</summary>
    sealed class NullTarget : IMachine
    {
        public static readonly NullTarget Instance = new();
        public MachineFamily Family => MachineCatalog.BuiltIn.Default;
        public MachineConfig Config { get; } = new();
        public FileId CreateFile(int pages, bool resident) => default;
        public ProcId CreateProcess() => default;
        public Errno Mmap(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired) => Errno.EINVAL;
        public Errno Munmap(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Mprotect(ProcId p, ulong addr, int npages, Prot prot) => Errno.EINVAL;
        public Errno Madvise(ProcId p, ulong addr, int npages, Advice advice) => Errno.EINVAL;
        public Errno Mlock(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Munlock(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Loan(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Unloan(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public Errno Fork(ProcId parent, out ProcId child) { child = default; return Errno.EINVAL; }
        public Errno Exit(ProcId p) => Errno.EINVAL;
        public AccessResult Read(ProcId p, ulong addr) => new(Errno.EFAULT, Outcome.Failed, 0, 0, Prot.None, 0);
        public AccessResult Write(ProcId p, ulong addr, byte value) => new(Errno.EFAULT, Outcome.Failed, 0, 0, Prot.None, 0);
        public Errno Pageout(ProcId p, ulong addr, int npages) => Errno.EINVAL;
        public int PageDaemon(int npages) => 0;
        public long Counter(int index) => 0;
        public void ResetCounters() { }
        public int CountMapped(ProcId p, ulong addr, int npages) => 0;
        public int FreePages => 0;
        public Prot MappedProt(ProcId p, ulong addr) => Prot.None;
        public int CountWired(ProcId p, ulong addr, int npages) => 0;
        public int CountResident(ProcId p, ulong addr, int npages) => 0;
        public bool TryPeek(ProcId p, ulong addr, out byte value) { value = 0; return false; }
        public IReadOnlyList<string> CheckInvariants() => [];
        public bool IsAlive(ProcId p) => false;
        public ulong Fingerprint() => 0;
    }
}
