using FaultLab.Core;
using FaultLab.Workloads.Scenarios;
using static FaultLab.Workloads.Tests.Scenarios.ParserTestSupport;

namespace FaultLab.Workloads.Tests.Scenarios;

public class ExpectationTests
{
    private static readonly AccessResult Promoted = new(Errno.OK, FaultCase.Upper1B.ToOutcome(), Restarts: 1, Detail0: 3, Prot.ReadWrite, Value: 0x41);
    private static readonly AccessResult Faulted = new(Errno.EFAULT, Outcome.Failed, Restarts: 0, Detail0: 0, Prot.None, Value: 0);

    private static System.Collections.Immutable.ImmutableArray<string> CheckAccess(ExpectedOutcome? expected, AccessResult actual) =>
        Expectations.CheckAccess(expected, actual, MachineFamily.NetBsd);

    private static ExpectedOutcome? Clause(string outcome) =>
        Valid("proc p1\np1 read 0" + (outcome.Length == 0 ? "" : " => " + outcome))[^1].Expected;

    [Fact]
    public void Only_the_keys_given_are_checked()
    {
        Assert.Empty(CheckAccess(Clause("1B"), Promoted));
        Assert.Empty(CheckAccess(Clause("1B restarts=1"), Promoted));
        Assert.Empty(CheckAccess(Clause("1B neighbors=3 value=0x41"), Promoted));
    }

    [Fact]
    public void Each_key_that_differs_is_its_own_failure()
    {
        Assert.Equal(
            ["expected 2B, got 1B", "expected restarts=0, got restarts=1", "expected prot=r, got prot=rw", "expected value=0x42, got value=0x41"],
            CheckAccess(Clause("2B restarts=0 neighbors=3 prot=r value=0x42"), Promoted).ToArray());
    }

    [Fact]
    public void A_successful_access_without_a_clause_holds_whatever_its_case()
    {
        Assert.Empty(CheckAccess(null, Promoted));
    }

    [Fact]
    public void A_failed_access_without_an_error_clause_is_a_failed_expectation()
    {
        Assert.Equal(["expected ok, got EFAULT"], CheckAccess(null, Faulted).ToArray());
    }

    [Fact]
    public void A_failed_access_naming_another_outcome_is_a_failed_expectation()
    {
        Assert.Equal(["expected 2B, got EFAULT"], CheckAccess(Clause("2B prot=rw value=0"), Faulted).ToArray());
        Assert.Equal(["expected ENOMEM, got EFAULT"], CheckAccess(Clause("ENOMEM"), Faulted).ToArray());
    }

    [Fact]
    public void An_error_clause_holds_when_the_access_fails_with_that_error()
    {
        Assert.Empty(CheckAccess(Clause("EFAULT"), Faulted));
        Assert.Empty(CheckAccess(Clause("EFAULT restarts=0"), Faulted));
    }

    [Fact]
    public void An_error_clause_on_an_access_that_succeeds_is_a_failed_expectation()
    {
        Assert.Equal(["expected EFAULT, got 1B"], CheckAccess(Clause("EFAULT"), Promoted).ToArray());
    }

    [Fact]
    public void An_operation_without_a_clause_expects_ok()
    {
        Assert.Empty(Expectations.CheckOperation(null, Errno.OK));
        Assert.Equal(["expected ok, got EINVAL"], Expectations.CheckOperation(null, Errno.EINVAL).ToArray());
    }

    [Fact]
    public void An_operation_error_clause_must_match_exactly()
    {
        var einval = Valid("proc p1\np1 munmap 0 1 => EINVAL")[^1].Expected;

        Assert.Empty(Expectations.CheckOperation(einval, Errno.EINVAL));
        Assert.Equal(["expected EINVAL, got ok"], Expectations.CheckOperation(einval, Errno.OK).ToArray());
        Assert.Equal(["expected EINVAL, got EACCES"], Expectations.CheckOperation(einval, Errno.EACCES).ToArray());
    }

    [Fact]
    public void An_observation_names_what_was_expected()
    {
        Assert.Empty(Expectations.CheckObservation("counter faults", "1", "1"));
        Assert.Equal(["expected counter faults 1, got 2"], Expectations.CheckObservation("counter faults", "1", "2").ToArray());
    }
}
