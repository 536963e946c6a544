using System.ComponentModel;
using System.Runtime.InteropServices;

namespace FaultLab.Workloads.Kernel;

/// <summary>
/// The few libc calls the kernel anchor needs, for Linux on x64 and arm64 (LP64, glibc or musl). The constants
/// are the asm-generic values, which x86-64 shares for everything used here.
/// </summary>
internal static unsafe partial class Libc
{
    // "libc" is mapped to the real libc soname (libc.so.6 on glibc) by the runtime's library loader.
    private const string Name = "libc";

    public const int ProtRead = 0x1, ProtWrite = 0x2;
    public const int MapShared = 0x01, MapPrivate = 0x02, MapAnonymous = 0x20;
    public const int MadvNoHugePage = 15;
    public const int RusageSelf = 0;
    public const int SigKill = 9, SigChld = 17;
    public const int SigBlock = 0, SigSetMask = 2;
    public const int WNoHang = 1;
    public const int Einval = 22, Eintr = 4, Echild = 10;

    /// <summary>struct rusage on LP64: two timevals, then fourteen longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Rusage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec;
        public long MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NvCsw, NivCsw;
    }

    /// <summary>sigset_t of glibc and musl: 1024 bits.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SigSet
    {
        public fixed ulong Bits[16];
    }

    [LibraryImport(Name, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Name, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint addr, nuint length);

    [LibraryImport(Name, EntryPoint = "madvise", SetLastError = true)]
    public static partial int Madvise(nint addr, nuint length, int advice);

    [LibraryImport(Name, EntryPoint = "getrusage", SetLastError = true)]
    public static partial int Getrusage(int who, Rusage* usage);

    /// <summary>
    /// glibc/musl clone(fn, stack, flags, arg, parent_tid, tls, child_tid): the trailing three are variadic in C but
    /// passed exactly like fixed arguments on the Linux x64 and arm64 ABIs, and ignored without their CLONE_ flags.
    /// In the child the wrapper calls fn(arg) on <paramref name="stack"/> and exits with its result.
    /// </summary>
    [LibraryImport(Name, EntryPoint = "clone", SetLastError = true)]
    public static partial int Clone(nint fn, nint stack, int flags, nint arg, int* parentTid, nint tls, int* childTid);

    [LibraryImport(Name, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport(Name, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int Waitpid(int pid, int* status, int options);

    [LibraryImport(Name, EntryPoint = "sigfillset", SetLastError = true)]
    public static partial int Sigfillset(SigSet* set);

    /// <summary>Returns an error number rather than setting errno.</summary>
    [LibraryImport(Name, EntryPoint = "pthread_sigmask")]
    public static partial int PthreadSigmask(int how, SigSet* set, SigSet* old);

    /// <summary>The symbols <see cref="KernelFaults"/> needs, all present: the test of <see cref="KernelFaults.IsSupported"/>.</summary>
    public static readonly string[] Symbols =
        ["mmap", "munmap", "madvise", "getrusage", "clone", "kill", "waitpid", "sigfillset", "pthread_sigmask", "sleep"];

    /// <summary>An exception for a failed call, with errno (read with the last P/Invoke error).</summary>
    public static Win32Exception Error(string call) => Error(call, Marshal.GetLastPInvokeError());

    public static Win32Exception Error(string call, int errno) =>
        new(errno, $"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
}
