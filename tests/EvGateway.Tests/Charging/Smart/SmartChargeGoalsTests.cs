using EvGateway.Charging.Smart;
using EvGateway.Vehicles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EvGateway.Tests.Charging.Smart;

public class SmartChargeGoalsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SmartChargeGoals Open(TemporaryDirectory data) =>
        new(Options.Create(new GatewayOptions { DataDirectory = data.Path }), TimeProvider.System, NullLogger<SmartChargeGoals>.Instance);

    private static readonly SmartChargeGoal Goal = new("VR3UHZKXZLT123456", 90, DateTimeOffset.Parse("2026-11-26T07:00:00+01:00"), 25.5,
        DateTimeOffset.Parse("2026-11-26T23:00:00Z"));

    [Fact]
    public async Task An_active_goal_survives_a_restart()
    {
        using var data = new TemporaryDirectory();
        await Open(data).SetAsync(Goal, Ct);

        var restarted = Open(data);

        Assert.Equal(Goal, Assert.Single(restarted.All()));
    }

    [Fact]
    public async Task A_removed_goal_stays_removed_after_a_restart()
    {
        using var data = new TemporaryDirectory();
        var goals = Open(data);
        await goals.SetAsync(Goal, Ct);
        await goals.SetAsync(Goal with { Vin = "VF1AG000164000001", TargetPercent = 80 }, Ct);

        await goals.RemoveAsync(Goal, Ct);

        var restarted = Open(data);
        Assert.Equal("VF1AG000164000001", Assert.Single(restarted.All()).Vin);
    }

    [Fact]
    public async Task A_corrupt_goals_file_starts_empty_instead_of_failing()
    {
        using var data = new TemporaryDirectory();
        await File.WriteAllTextAsync(data.File(SmartChargeGoals.FileName), "{ not json", Ct);

        var goals = Open(data);

        Assert.Empty(goals.All());
    }
}
