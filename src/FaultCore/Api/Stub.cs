namespace FaultLab.Core;
// TEMPORARY while the model is written; removed before the first green commit.
public sealed partial class Machine
{
    private Counters counters;
    public Machine(MachineConfig? config = null) { Config = config ?? new MachineConfig(); }
    FileId CreateFileImpl(int pages, bool resident) => throw new NotImplementedException();
    ProcId CreateProcessImpl() => throw new NotImplementedException();
    Errno MmapImpl(ProcId p, ulong addr, int npages, Prot prot, MapKind kind, FileId file, long pgoff, bool wired) => throw new NotImplementedException();
    Errno MunmapImpl(ProcId p, ulong addr, int npages) => throw new NotImplementedException();
    Errno MprotectImpl(ProcId p, ulong addr, int npages, Prot prot) => throw new NotImplementedException();
    Errno MadviseImpl(ProcId p, ulong addr, int npages, Advice advice) => throw new NotImplementedException();
    Errno MlockImpl(ProcId p, ulong addr, int npages) => throw new NotImplementedException();
    Errno MunlockImpl(ProcId p, ulong addr, int npages) => throw new NotImplementedException();
    Errno LoanImpl(ProcId p, ulong addr, int npages) => throw new NotImplementedException();
    Errno UnloanImpl(ProcId p, ulong addr, int npages) => throw new NotImplementedException();
    Errno ForkImpl(ProcId parent, out ProcId child) => throw new NotImplementedException();
    Errno ExitImpl(ProcId p) => throw new NotImplementedException();
    AccessResult AccessImpl(ProcId p, ulong addr, Prot access, byte value) => throw new NotImplementedException();
    Errno PageoutImpl(ProcId p, ulong addr, int npages) => throw new NotImplementedException();
    int PageDaemonImpl(int npages) => throw new NotImplementedException();
    int CountMappedImpl(ProcId p, ulong addr, int npages) => throw new NotImplementedException();
    int CountResidentImpl(ProcId p, ulong addr, int npages) => throw new NotImplementedException();
    int CountWiredImpl(ProcId p, ulong addr, int npages) => throw new NotImplementedException();
    Prot MappedProtImpl(ProcId p, ulong addr) => throw new NotImplementedException();
    bool TryPeekImpl(ProcId p, ulong addr, out byte value) => throw new NotImplementedException();
    IReadOnlyList<string> CheckInvariantsImpl() => throw new NotImplementedException();
    ulong FingerprintImpl() => throw new NotImplementedException();
    int FreePagesImpl => throw new NotImplementedException();
    bool IsAliveImpl(ProcId p) => throw new NotImplementedException();
}
