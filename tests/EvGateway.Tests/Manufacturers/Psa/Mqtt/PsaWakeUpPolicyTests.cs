using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;

namespace EvGateway.Tests.Manufacturers.Psa.Mqtt;

public sealed class PsaWakeUpPolicyTests
{
    private static readonly CallIntent HomeAutomation = new(CallPriority.Command, ByPerson: false);
    private static readonly VehicleCommand WakeUp = new(VehicleCommandKind.WakeUp);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Wake_ups_nobody_asked_for_in_person_are_at_most_one_per_car_per_30_minutes()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var car = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        await gateway.Provider.GetStatusAsync(car, Ct);
        using var automation = CallIntent.Enter(HomeAutomation);

        var first = await gateway.Provider.SendCommandAsync(car, WakeUp, Ct);
        bed.Time.Advance(TimeSpan.FromMinutes(10));
        var refused = await Assert.ThrowsAsync<GatewayException>(() => gateway.Provider.SendCommandAsync(car, WakeUp, Ct));
        bed.Time.Advance(TimeSpan.FromMinutes(20));
        var later = await gateway.Provider.SendCommandAsync(car, WakeUp, Ct);

        Assert.True(first.Accepted);
        Assert.Equal((ErrorCodes.WakeUpLimit, 429, TimeSpan.FromMinutes(20)), (refused.Code, refused.StatusCode, refused.RetryAfter));
        Assert.True(later.Accepted);
        Assert.Equal(2, bed.Psa.Published.Count(p => p.Service == "/VehCharge/state"));
    }

    [Fact]
    public async Task A_person_may_wake_the_car_again_within_the_interval()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway(new Dictionary<string, string?> { ["Psa:WakeUpMinIntervalMinutes"] = "30" });
        var car = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        using (CallIntent.Enter(HomeAutomation))
        {
            await gateway.Provider.SendCommandAsync(car, WakeUp, Ct);
        }

        bed.Time.Advance(TimeSpan.FromMinutes(1));
        var person = await gateway.Provider.SendCommandAsync(car, WakeUp, Ct);

        Assert.True(person.Accepted);
        Assert.Equal(2, bed.Psa.Published.Count(p => p.Service == "/VehCharge/state"));
    }

    [Fact]
    public async Task A_car_asleep_and_unplugged_is_woken_only_when_a_person_asks()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var car = await gateway.VehicleAsync(PsaCloud.DemoHybridVin);
        var status = await gateway.Provider.GetStatusAsync(car, Ct);
        Assert.Equal(PlugState.Unplugged, status.PlugState);
        bed.Time.Advance(TimeSpan.FromMinutes(31));

        GatewayException refused;
        using (CallIntent.Enter(HomeAutomation))
        {
            refused = await Assert.ThrowsAsync<GatewayException>(() => gateway.Provider.SendCommandAsync(car, WakeUp, Ct));
        }

        var person = await gateway.Provider.SendCommandAsync(car, WakeUp, Ct);

        Assert.Equal(ErrorCodes.WakeUpLimit, refused.Code);
        Assert.Contains("asleep and unplugged", refused.Message, StringComparison.Ordinal);
        Assert.True(person.Accepted);
        Assert.Equal(1, bed.Psa.Published.Count(p => p.Service == "/VehCharge/state"));
    }
}
