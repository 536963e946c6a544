using System.Runtime.InteropServices;

namespace FaultLab.Workloads.Kernel;

/// <summary>
/// A forked child that only exists: it shares the parent's memory copy-on-write and sleeps in libc until the
/// parent kills it. Disposing (or finalizing) kills it if it still runs and reaps it, so no child outlives its
/// handle; a child whose parent dies anyway exits by itself when its sleep ends.
/// </summary>
/// <remarks>
/// The child is made with libc's clone(fn, stack, SIGCHLD, arg), which is fork at the kernel level (a new address
/// space copied copy-on-write, SIGCHLD on exit) but starts the child in <c>fn(arg)</c> on a stack of our own and
/// exits it with fn's result. fn is libc's sleep, so the child never returns into the runtime. A plain fork()
/// whose child returns through the P/Invoke into managed code (to block in read() on a pipe, then _exit) was tried
/// on .NET 10 / Linux 6.18 first and is not reliable:
/// <list type="bullet">
/// <item>With W^X on (the default) the runtime's executable memory is a MAP_SHARED double mapping, so it is not
/// copied on fork: the child's first calls (binding and stub generation for read/close/_exit) wrote into code
/// memory the parent uses, and the parent died of SIGSEGV within a few hundred forks, every run.</item>
/// <item>With W^X off and another thread allocating, about half the children never reached read(): the fork
/// happened while the runtime was suspending threads for a GC, and the child, returning from the P/Invoke, waits
/// for a GC that only the parent's threads could finish.</item>
/// </list>
/// All signals are blocked around the clone so the child inherits a full mask: no runtime signal handler can run
/// in it, and only SIGKILL ends it early.
/// </remarks>
internal sealed unsafe class ForkedChild : SafeHandle
{
    private const int StackBytes = 64 * 1024;

    private readonly MappedRegion stack;
    private bool reaped;
    private int status;

    private ForkedChild() : base(0, ownsHandle: true)
    {
        stack = MappedRegion.Anonymous(StackBytes);
    }

    public override bool IsInvalid => handle <= 0;

    public int Pid => (int)handle;

    /// <summary>Forks a child that sleeps in <paramref name="sleep"/> (libc's sleep) for at most <paramref name="seconds"/>.</summary>
    public static ForkedChild Start(nint sleep, uint seconds)
    {
        var child = new ForkedChild();
        try
        {
            Libc.SigSet all, old;
            if (Libc.Sigfillset(&all) != 0)
                throw Libc.Error("sigfillset");
            int rc = Libc.PthreadSigmask(Libc.SigBlock, &all, &old);
            if (rc != 0)
                throw Libc.Error("pthread_sigmask", rc);
            try
            {
                nint top = (nint)(child.stack.Pointer + child.stack.Length);
                int pid = Libc.Clone(sleep, top, Libc.SigChld, (nint)seconds, null, 0, null);
                if (pid == -1)
                    throw Libc.Error("clone");
                child.SetHandle(pid);
            }
            finally
            {
                rc = Libc.PthreadSigmask(Libc.SigSetMask, &old, null);
                if (rc != 0)
                    throw Libc.Error("pthread_sigmask", rc);
            }
            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>Whether the child still runs (it is then not reaped, so its pid cannot have been reused).</summary>
    public bool IsRunning => !reaped && Poll(Libc.WNoHang) == 0;

    /// <summary>
    /// Ends a measurement the child had to exist for: throws if it already ended (the measurement did not see
    /// shared pages all along), otherwise kills and reaps it.
    /// </summary>
    public void End()
    {
        if (!IsRunning)
            throw new InvalidOperationException($"forked child {Pid} ended before the measurement did (wait status {status:x})");
        KillAndReap();
    }

    /// <summary>Kills the child if it still runs and waits for it; returns its wait status. Idempotent.</summary>
    public int KillAndReap()
    {
        if (reaped || IsInvalid)
            return status;
        if (Poll(Libc.WNoHang) == 0)
        {
            if (Libc.Kill(Pid, Libc.SigKill) != 0)
                throw Libc.Error("kill");
            while (!reaped)
                Poll(0);
        }
        return status;
    }

    /// <summary>waitpid on the child: its pid once reaped (status kept), 0 while it runs; EINTR is retried.</summary>
    private int Poll(int options)
    {
        while (true)
        {
            int s;
            int r = Libc.Waitpid(Pid, &s, options);
            if (r == Pid)
            {
                reaped = true;
                status = s;
                return r;
            }
            if (r == 0)
                return 0;
            int errno = Marshal.GetLastPInvokeError();
            if (errno == Libc.Eintr)
                continue;
            if (errno == Libc.Echild)
            {
                // Someone else reaped it (a SIGCHLD handler set to reap all): it is gone either way.
                reaped = true;
                status = -1;
                return Pid;
            }
            throw Libc.Error("waitpid", errno);
        }
    }

    protected override bool ReleaseHandle()
    {
        try
        {
            KillAndReap();
            return true;
        }
        catch
        {
            return false;
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            stack.Dispose(); // the child has its own copy; finalization leaves the stack to its own finalizer
    }
}
