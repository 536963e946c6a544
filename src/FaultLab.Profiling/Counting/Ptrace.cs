using System.ComponentModel;
using System.Runtime.InteropServices;

namespace FaultLab.Profiling.Counting;

/// <summary>
/// Single-steps one thread of another process with Linux's ptrace, one instruction at a time: the exact count of
/// the instructions a region of code executes, where hardware counters are not available (as in this lab's VMs).
/// Every call must come from the thread that attached (ptrace is per tracer thread). x86-64 only.
/// </summary>
internal sealed partial class Ptrace : IDisposable
{
    private const long PTRACE_PEEKTEXT = 1, PTRACE_PEEKUSER = 3, PTRACE_POKETEXT = 4, PTRACE_CONT = 7,
        PTRACE_SINGLESTEP = 9, PTRACE_GETREGS = 12, PTRACE_SETREGS = 13, PTRACE_ATTACH = 16, PTRACE_DETACH = 17;
    private const int WALL = 0x40000000;
    private const int SIGTRAP = 5, SIGSTOP = 19;
    /// <summary>Offset of rip in struct user_regs_struct (x86-64): the 17th of its 27 words.</summary>
    private const int RipWord = 16, RegsWords = 27;

    private readonly int tid;
    private bool attached;

    [LibraryImport("libc", SetLastError = true)]
    private static partial long ptrace(long request, int pid, nint addr, nint data);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);

    private Ptrace(int tid) => this.tid = tid;

    /// <summary>Whether this process may trace another here (Linux x86-64).</summary>
    public static bool Supported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>Attaches to thread <paramref name="tid"/> (a process's main thread has its pid) and waits until it stopped.</summary>
    public static Ptrace Attach(int tid)
    {
        var tracer = new Ptrace(tid);
        tracer.Check(ptrace(PTRACE_ATTACH, tid, 0, 0), "attach to");
        tracer.attached = true;
        tracer.WaitStop(SIGSTOP);
        return tracer;
    }

    /// <summary>Runs the thread until it executes the instruction at <paramref name="address"/>; it then stands there.</summary>
    public void RunTo(nint address)
    {
        long original = Peek(address);
        Poke(address, (original & ~0xffL) | 0xcc); // int3
        Check(ptrace(PTRACE_CONT, tid, 0, 0), "continue");
        WaitStop(SIGTRAP);
        Poke(address, original);
        Span<ulong> regs = stackalloc ulong[RegsWords];
        GetRegs(regs);
        if (regs[RipWord] != (ulong)address + 1)
            throw new InvalidOperationException($"the breakpoint at 0x{address:x} stopped at 0x{regs[RipWord] - 1:x}");
        regs[RipWord] = (ulong)address;
        SetRegs(regs);
    }

    /// <summary>Steps one instruction at a time until the thread is at <paramref name="stop"/> again (or
    /// <paramref name="limit"/> instructions ran), telling <paramref name="executed"/> the address of each instruction
    /// executed; the count.</summary>
    public long StepUntil(nint stop, long limit, Action<ulong> executed)
    {
        long n = 0;
        ulong rip = Rip();
        int signal = 0;
        do
        {
            executed(rip);
            Check(ptrace(PTRACE_SINGLESTEP, tid, 0, signal), "single-step");
            signal = Wait();
            if (signal == SIGTRAP)
                signal = 0;
            rip = Rip();
        }
        while (++n < limit && rip != (ulong)stop);
        return rip == (ulong)stop ? n : throw new InvalidOperationException($"no return to 0x{stop:x} within {limit} instructions");
    }

    public void Dispose()
    {
        if (attached)
        {
            attached = false;
            ptrace(PTRACE_DETACH, tid, 0, 0);
        }
    }

    private ulong Rip()
    {
        Marshal.SetLastPInvokeError(0);
        long rip = ptrace(PTRACE_PEEKUSER, tid, RipWord * 8, 0);
        if (rip == -1 && Marshal.GetLastPInvokeError() != 0)
            throw Error("read the registers of");
        return (ulong)rip;
    }

    private unsafe void GetRegs(Span<ulong> regs)
    {
        fixed (ulong* p = regs)
            Check(ptrace(PTRACE_GETREGS, tid, 0, (nint)p), "read the registers of");
    }

    private unsafe void SetRegs(Span<ulong> regs)
    {
        fixed (ulong* p = regs)
            Check(ptrace(PTRACE_SETREGS, tid, 0, (nint)p), "write the registers of");
    }

    private long Peek(nint address)
    {
        Marshal.SetLastPInvokeError(0);
        long word = ptrace(PTRACE_PEEKTEXT, tid, address, 0);
        if (word == -1 && Marshal.GetLastPInvokeError() != 0)
            throw Error($"read 0x{address:x} in");
        return word;
    }

    private void Poke(nint address, long word) => Check(ptrace(PTRACE_POKETEXT, tid, address, (nint)word), $"write 0x{address:x} in");

    /// <summary>Waits until the thread stops with <paramref name="expected"/>; another signal first is an error.</summary>
    private void WaitStop(int expected)
    {
        int signal = Wait();
        if (signal != expected)
            throw new InvalidOperationException($"thread {tid} stopped with signal {signal}, expected {expected}");
    }

    /// <summary>Waits for the thread's next stop; the signal that stopped it.</summary>
    private int Wait()
    {
        if (waitpid(tid, out int status, WALL) != tid)
            throw Error("wait for");
        if ((status & 0xff) != 0x7f) // !WIFSTOPPED: it exited or was killed
            throw new InvalidOperationException($"thread {tid} ended while traced (wait status 0x{status:x})");
        return (status >> 8) & 0xff; // WSTOPSIG
    }

    private void Check(long result, string what)
    {
        if (result == -1)
            throw Error(what);
    }

    private Win32Exception Error(string what) =>
        new(Marshal.GetLastPInvokeError(), $"ptrace: cannot {what} thread {tid}: {new Win32Exception(Marshal.GetLastPInvokeError()).Message}");
}
