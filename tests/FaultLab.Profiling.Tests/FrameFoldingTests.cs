using FaultLab.Profiling.Parsing;

namespace FaultLab.Profiling.Tests;

public class FrameFoldingTests
{
    private static List<string> Fold(params string[] rootFirst) => FrameFolding.Fold(rootFirst.Select(RawFrame.Named));

    [Theory]
    [InlineData("CPU_TIME")]
    [InlineData("UNMANAGED_CODE_TIME")]
    [InlineData("BLOCKED_TIME")]
    [InlineData("Thread (4242)")]
    [InlineData("Process64 faultlab (4242)")]
    public void Pseudo_frames_are_dropped(string pseudo)
    {
        Assert.Equal(FrameKind.Pseudo, FrameFolding.Classify(RawFrame.Named(pseudo)));
        Assert.Equal(["M!A.Main", "M!A.Work"], Fold(pseudo, "M!A.Main", "M!A.Work"));
        Assert.Equal(["M!A.Main", "M!A.Work"], Fold("M!A.Main", "M!A.Work", pseudo));
    }

    [Theory]
    [InlineData("coreclr!JIT_PollGC")]
    [InlineData("System.Private.CoreLib!System.Threading.Thread.PollGC")]
    [InlineData("coreclr!JIT_Patchpoint")]
    [InlineData("coreclr!ThePreStub")]
    [InlineData("libcoreclr!?")]
    public void Safepoint_and_stub_frames_fold_into_their_caller(string runtime)
    {
        Assert.Equal(FrameKind.Runtime, FrameFolding.Classify(RawFrame.Named(runtime)));
        // At the leaf: the caller becomes the leaf and gets the sample.
        Assert.Equal(["M!A.Main", "M!A.Work"], Fold("M!A.Main", "M!A.Work", runtime));
        // In the middle: caller and callee join up.
        Assert.Equal(["M!A.Main", "M!A.Work", "M!A.Leaf"], Fold("M!A.Main", "M!A.Work", runtime, "M!A.Leaf"));
    }

    [Fact]
    public void Code_frames_stay_even_when_unresolved()
    {
        Assert.Equal(FrameKind.Code, FrameFolding.Classify(new RawFrame("FaultCore", "FaultLab.Core.UvmFault.FaultPass")));
        Assert.Equal(FrameKind.Code, FrameFolding.Classify(new RawFrame("FaultCore", "")));
        Assert.Equal(["M!A.Main", "FaultCore!?"], FrameFolding.Fold([RawFrame.Named("M!A.Main"), new RawFrame("FaultCore", "")]));
    }

    [Fact]
    public void Frame_names_are_module_bang_method()
    {
        Assert.Equal("FaultCore!FaultLab.Core.Machine.Read", new RawFrame("FaultCore", "FaultLab.Core.Machine.Read").Name);
        Assert.Equal("FaultCore!?", new RawFrame("FaultCore", "").Name);
        Assert.Equal("?!?", new RawFrame("", "").Name);
    }

    [Theory]
    [InlineData("FaultLab.Core.Machine.Read(value class FaultLab.Core.ProcId,unsigned int64)", "FaultLab.Core.Machine.Read")]
    [InlineData("FaultLab.Core.UvmFault+nowire_random_cow.FaultPass(class X)", "FaultLab.Core.UvmFault+nowire_random_cow.FaultPass")]
    [InlineData("Program.<Main>$", "Program.<Main>$")]
    public void Signatures_are_dropped(string full, string expected) =>
        Assert.Equal(expected, MethodNames.WithoutSignature(full));

    [Fact]
    public void Module_names_get_their_file_names_case_back()
    {
        var modules = new ModuleNames();
        modules.Add("/work/lab/bin/Release/net10.0/FaultCore.dll");
        modules.Add(@"C:\lab\FaultLab.Workloads.dll");

        Assert.Equal("FaultCore", modules.Display("faultcore"));
        Assert.Equal("FaultLab.Workloads", modules.Display("faultlab.workloads"));
        Assert.Equal("unknown", modules.Display("unknown"));
    }
}
