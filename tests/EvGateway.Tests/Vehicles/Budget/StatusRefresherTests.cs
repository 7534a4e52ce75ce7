using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Vehicles.Budget;

public sealed class StatusRefresherTests
{
    // Plugged in and charging, and parked unplugged.
    private const string Charging = RenaultCloud.DemoZoePhase2Vin;
    private const string Parked = RenaultCloud.DemoMeganeVin;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The account's quota (and so the budget) is the real one unless a test wants the policy alone.
    private static async Task<GatewayServices> StartAsync(int callsPerHour = 60, string parkedPolicy = "connected")
    {
        var bed = await TestBed.StartAsync(new SimulatorOptions
        {
            TimeProvider = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T18:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            RenaultCallsPerHour = callsPerHour,
        });
        return GatewayServices.Compose(bed, Makers.Renault, new Dictionary<string, string?>
        {
            [$"Gateway:Cars:{Charging}:RefreshPolicy"] = "connected",
            [$"Gateway:Cars:{Parked}:RefreshPolicy"] = parkedPolicy,
        }, ownsBed: true);
    }

    private static async Task<Dictionary<string, List<DateTimeOffset>>> RefreshForAsync(GatewayServices gateway, TimeSpan span)
    {
        var refresher = Refresher(gateway);
        var end = gateway.Time.GetUtcNow() + span;
        var fetches = new Dictionary<string, List<DateTimeOffset>>();
        gateway.Get<VehicleStatusCache>().StatusChanged +=
            status => (fetches.TryGetValue(status.Vin, out var list) ? list : fetches[status.Vin] = []).Add(status.FetchedAt);
        while (gateway.Time.GetUtcNow() < end)
        {
            gateway.Time.Advance(await refresher.RefreshDueAsync(Ct));
        }

        return fetches;
    }

    private static StatusRefresher Refresher(GatewayServices gateway) =>
        gateway.Services.GetServices<IHostedService>().OfType<StatusRefresher>().Single();

    [Fact]
    public async Task A_plugged_car_is_refreshed_every_5_minutes_and_a_parked_one_once_an_hour_and_a_car_set_to_never_not_at_all()
    {
        await using var gateway = await StartAsync(callsPerHour: 1000);
        var cache = gateway.Get<VehicleStatusCache>();
        var start = gateway.Time.GetUtcNow();

        var fetches = await RefreshForAsync(gateway, TimeSpan.FromMinutes(61));

        // Nothing is known at start: each car is first read after one active interval, then by what it does.
        Assert.Equal(Enumerable.Range(1, 12).Select(i => start + TimeSpan.FromMinutes(5 * i)), fetches[Charging]);
        Assert.Equal(start + TimeSpan.FromMinutes(5), Assert.Single(fetches[Parked]));
        Assert.Equal(start + TimeSpan.FromMinutes(65), gateway.Get<RefreshPolicies>().NextRefreshAt(Parked, cache.Peek(Parked)));
        Assert.False(fetches.ContainsKey(RenaultCloud.DemoSpringVin));
        Assert.Null(gateway.Get<RefreshPolicies>().NextRefreshAt(RenaultCloud.DemoSpringVin, null));
    }

    [Fact]
    public async Task The_background_refresh_stops_at_its_share_of_the_budget_and_resumes_as_calls_leave_the_window()
    {
        // 60 an hour, 36 for background reads: the car list (3) and eight reads of this Zoe (4 each) fill it.
        await using var gateway = await StartAsync(parkedPolicy: "never");
        var start = gateway.Time.GetUtcNow();

        var fetches = await RefreshForAsync(gateway, TimeSpan.FromMinutes(66));

        DateTimeOffset[] expected = [.. Enumerable.Range(1, 8).Select(i => start + TimeSpan.FromMinutes(5 * i)), start.AddMinutes(60), start.AddMinutes(65)];
        Assert.Equal(expected, fetches[Charging]);
        var budget = gateway.Get<CallBudgets>().For("Renault");
        Assert.InRange(budget.Snapshot().Used, 1, budget.ShareOf(CallPriority.Background));
    }

    [Fact]
    public async Task A_refusing_cloud_does_not_stop_the_refresh_and_the_car_is_read_once_it_answers_again()
    {
        await using var gateway = await StartAsync();
        var refresher = Refresher(gateway);
        var cache = gateway.Get<VehicleStatusCache>();
        gateway.Time.Advance(await refresher.RefreshDueAsync(Ct));
        // A quota answer: the adapter keeps off the account for Renault:QuotaCooldownMinutes (15).
        gateway.Simulator.Renault.FailNext(1, RenaultFault.QuotaExceeded429);

        var refused = await refresher.RefreshDueAsync(Ct);
        gateway.Time.Advance(TimeSpan.FromMinutes(15));
        await refresher.RefreshDueAsync(Ct);

        Assert.Equal(TimeSpan.FromMinutes(1), refused);
        Assert.Equal(gateway.Time.GetUtcNow(), cache.Peek(Charging)!.FetchedAt);
        Assert.Equal(gateway.Time.GetUtcNow(), cache.Peek(Parked)!.FetchedAt);
    }
}
