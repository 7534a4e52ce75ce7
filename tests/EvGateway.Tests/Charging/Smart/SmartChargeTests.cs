using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Charging.Smart;
using EvGateway.Vehicles;
using Microsoft.Extensions.Time.Testing;
using static EvGateway.Tests.TestSupport.ChargingSettings;

namespace EvGateway.Tests.Charging.Smart;

public sealed class SmartChargeTests : IAsyncLifetime
{
    private const string Vin = "VR3UHZKXZLT000001";
    private static readonly DateTimeOffset FeedStart = DateTimeOffset.Parse("2026-11-25T23:00:00Z");
    // Half-hour prices from 23:00 UTC: the cheapest stretch is 01:00–03:30 UTC (02:00–04:30 in Paris).
    private static readonly double[] Prices = [20, 18, 15, 12, 6, 5, 5, 6, 7, 10, 14, 18, 22, 25, 28, 30];
    private readonly TemporaryDirectory data = new();
    private readonly FakeTimeProvider time = new(FeedStart);
    private SimulatedCarsProvider psa = null!;
    private string tariffFile = null!;

    public async ValueTask InitializeAsync()
    {
        psa = new SimulatedCarsProvider("Psa", time, Paris);
        psa.Add(Vin, level: 40, charging: false, capabilities:
            [VehicleCapability.BatteryStatus, VehicleCapability.ChargeStart, VehicleCapability.ChargeStop, VehicleCapability.ChargeSchedule]);
        tariffFile = data.File("agile.json");
        await AgilePrices.WriteAsync(tariffFile, FeedStart, Prices, newestFirst: true);
    }

    public ValueTask DisposeAsync()
    {
        data.Dispose();
        return ValueTask.CompletedTask;
    }

    private Dictionary<string, string?> Settings => InParis(new Dictionary<string, string?> { ["Tariff:Url"] = tariffFile });

    [Fact]
    public async Task The_plan_is_the_cheapest_window_before_ready_by_with_its_cost_and_the_cost_of_charging_now()
    {
        await using var host = await GatewayApp.StartOverStandInsAsync(time, data.Path, [psa], Settings);

        var plan = await host.Client.GetFromJsonAsync<JsonElement>(
            $"/api/vehicles/{Vin}/smart-charge/plan?targetPercent=80&readyBy=2026-11-26T07:00:00%2B01:00", TestContext.Current.CancellationToken);

        // 40 % → 80 % of 46 kWh = 18.4 kWh at 7.4 kW: 2 h 29 min, cheapest from 02:00 Paris time.
        Assert.Equal(18.4, plan.GetProperty("energyKwh").GetDouble(), precision: 3);
        Assert.Equal("2026-11-26T02:00:00+01:00", plan.GetProperty("slots")[0].GetProperty("start").GetString());
        Assert.Equal([6.0, 5, 5, 6, 7], plan.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("pricePerKwh").GetDouble()));
        Assert.Equal(3.7 * 22 + 7 * (18.4 - 14.8), plan.GetProperty("expectedCost").GetDouble(), precision: 2);
        Assert.Equal(3.7 * (20 + 18 + 15 + 12) + 6 * (18.4 - 14.8), plan.GetProperty("costIfChargedNow").GetDouble(), precision: 2);
        Assert.Equal("2026-11-26T07:00:00+01:00", plan.GetProperty("readyBy").GetString());
    }

    [Fact]
    public async Task The_split_plan_takes_the_cheapest_half_hours_wherever_they_are()
    {
        await using var host = await GatewayApp.StartOverStandInsAsync(time, data.Path, [psa], Settings);

        var plan = await host.Client.GetFromJsonAsync<JsonElement>(
            $"/api/vehicles/{Vin}/smart-charge/plan?targetPercent=80&readyBy=2026-11-26T07:00:00%2B01:00&strategy=split", TestContext.Current.CancellationToken);

        Assert.Equal("split", plan.GetProperty("strategy").GetString());
        Assert.Equal(3.7 * (6 + 5 + 5 + 6) + 7 * (18.4 - 14.8), plan.GetProperty("expectedCost").GetDouble(), precision: 2);
    }

    [Theory]
    [InlineData("targetPercent=0&readyBy=2026-11-26T07:00:00Z", "targetPercent")]
    [InlineData("targetPercent=101&readyBy=2026-11-26T07:00:00Z", "targetPercent")]
    [InlineData("targetPercent=abc&readyBy=2026-11-26T07:00:00Z", "targetPercent")]
    [InlineData("readyBy=2026-11-26T07:00:00Z", "targetPercent")]
    [InlineData("targetPercent=80&readyBy=tomorrow", "readyBy")]
    [InlineData("targetPercent=80&readyBy=2026-11-25T07:00:00Z", "readyBy")]
    [InlineData("targetPercent=80", "readyBy")]
    [InlineData("targetPercent=80&readyBy=2026-11-26T07:00:00Z&maxPrice=cheap", "maxPrice")]
    [InlineData("targetPercent=80&readyBy=2026-11-26T07:00:00Z&strategy=random", "strategy")]
    public async Task Invalid_plan_input_is_a_400_naming_the_field(string query, string field)
    {
        await using var host = await GatewayApp.StartOverStandInsAsync(time, data.Path, [psa], Settings);

        var response = await host.Client.GetAsync($"/api/vehicles/{Vin}/smart-charge/plan?{query}", TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Invalid_apply_input_is_a_400_naming_the_field()
    {
        await using var host = await GatewayApp.StartOverStandInsAsync(time, data.Path, [psa], Settings);

        var response = await host.Client.PostAsJsonAsync($"/api/vehicles/{Vin}/smart-charge",
            new { targetPercent = 80, readyBy = "2026-11-20T07:00:00Z" }, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty("readyBy", out _), problem.ToString());
        Assert.Empty(psa.CommandsFor(Vin));
    }

    [Fact]
    public async Task A_goal_the_prices_cannot_meet_is_a_422_that_says_how_much_is_possible()
    {
        await using var host = await GatewayApp.StartOverStandInsAsync(time, data.Path, [psa], Settings);

        var response = await host.Client.GetAsync(
            $"/api/vehicles/{Vin}/smart-charge/plan?targetPercent=100&readyBy=2026-11-26T00:30:00Z&maxPrice=16", TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(SmartChargeService.Infeasible, problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_a_price_feed_smart_charging_answers_501()
    {
        await using var host = await GatewayApp.StartOverStandInsAsync(time, data.Path, [psa], InParis());

        var response = await host.Client.GetAsync(
            $"/api/vehicles/{Vin}/smart-charge/plan?targetPercent=80&readyBy=2026-11-26T07:00:00Z", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    [Fact]
    public async Task An_applied_plan_gets_the_car_to_its_target_by_ready_by_in_the_cheap_hours()
    {
        await using var charging = GatewayServices.Compose(settings: Settings, standIns: [psa], time: time, dataDirectory: data.Path);
        var readyBy = DateTimeOffset.Parse("2026-11-26T07:00:00+01:00");

        var applied = await charging.Get<SmartChargeService>().ApplyAsync(Vin, 80, readyBy, null, TestContext.Current.CancellationToken);
        await charging.RunControllerForAsync(DateTimeOffset.Parse("2026-11-26T01:59:00+01:00") - time.GetUtcNow());
        var beforeCheapHours = psa.CarFor(Vin).Read();
        await charging.RunControllerForAsync(readyBy - time.GetUtcNow());
        var atReadyBy = psa.CarFor(Vin).Read();

        Assert.Contains(psa.CommandsFor(Vin), c => c.Kind == VehicleCommandKind.SetDelayedChargeStart && c.At == new TimeOnly(2, 0));
        Assert.Contains("02:00", applied.Applied);
        Assert.Equal(40, beforeCheapHours.Level);
        Assert.InRange(atReadyBy.Level, 80, 82.99);
        Assert.False(atReadyBy.Charging);
        Assert.Equal(80, charging.Store.Get(Vin).PercentageThreshold);
    }

    [Fact]
    public async Task A_goal_is_planned_again_when_the_next_days_prices_arrive()
    {
        await using var charging = GatewayServices.Compose(settings: Settings, standIns: [psa], time: time, dataDirectory: data.Path);
        var readyBy = DateTimeOffset.Parse("2026-11-26T12:00:00Z");
        await charging.Get<SmartChargeService>().ApplyAsync(Vin, 80, readyBy, null, TestContext.Current.CancellationToken);
        // The next day's prices are published: 07:00–11:00 UTC is cheaper than anything in the night.
        await AgilePrices.WriteAsync(tariffFile, FeedStart, Prices.Concat(Enumerable.Repeat(1.0, 8)));
        time.Advance(TimeSpan.FromMinutes(31));

        await charging.Get<SmartChargeReplanner>().ReplanAsync(TestContext.Current.CancellationToken);

        var starts = psa.CommandsFor(Vin).Where(c => c.Kind == VehicleCommandKind.SetDelayedChargeStart).Select(c => c.At).ToList();
        Assert.Equal([new TimeOnly(2, 0), new TimeOnly(8, 0)], starts);
    }

    [Fact]
    public async Task A_goal_whose_prices_did_not_change_is_left_alone()
    {
        await using var charging = GatewayServices.Compose(settings: Settings, standIns: [psa], time: time, dataDirectory: data.Path);
        await charging.Get<SmartChargeService>().ApplyAsync(Vin, 80, DateTimeOffset.Parse("2026-11-26T06:00:00Z"), null,
            TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(31));

        await charging.Get<SmartChargeReplanner>().ReplanAsync(TestContext.Current.CancellationToken);

        Assert.Single(psa.CommandsFor(Vin), c => c.Kind == VehicleCommandKind.SetDelayedChargeStart);
    }
}
