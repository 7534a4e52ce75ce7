using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.History;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.History;

/// <summary>
/// The daily read of Renault's own charge list through the real adapter and the simulator: it adds the sessions the
/// gateway missed, priced like the others, and spends the Kamereon quota at most once a day per car.
/// </summary>
public sealed class CarChargeReaderTests
{
    private const string Vin = RenaultCloud.DemoZoePhase2Vin;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_charge_the_gateway_never_saw_appears_after_the_daily_read_with_its_energy_and_cost()
    {
        await using var app = await GatewayApp.StartAsync(Settings(hostedReader: false));
        var car = app.Simulator.Renault.Car(Vin);
        await StopDemoChargeAsync(app);

        // The gateway reads nothing while the car charges at night, in the cheap hours, 40 % to full.
        var (start, end) = await ChargeAtNightAsync(app);
        var stored = await app.Services.GetRequiredService<CarChargeReader>().ReadAsync(Ct);

        Assert.True(stored >= 1);
        var range = $"from={Iso(start.AddHours(-1))}&to={Iso(end)}";
        var session = Assert.Single((await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{Vin}/charges?{range}", Ct))!);
        Assert.Equal("car", session.GetProperty("source").GetString());
        Assert.Equal(start, session.GetProperty("start").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal(end, session.GetProperty("end").GetDateTimeOffset(), TimeSpan.FromMinutes(1));
        Assert.Equal((40d, 100d), (session.GetProperty("startLevel").GetDouble(), session.GetProperty("endLevel").GetDouble()));
        var energy = 60 * car.Spec.CapacityKwh / 100;
        Assert.Equal(energy, session.GetProperty("energyKwh").GetDouble(), energy * 0.02);
        var cost = energy / 0.9 * 0.10;
        Assert.Equal(cost, session.GetProperty("cost").GetDouble(), cost * 0.02);
        Assert.Equal(car.Spec.ChargePowerKw, session.GetProperty("maxPowerKw").GetDouble(), 0.01);

        var csv = (await app.Client.GetStringAsync($"/api/vehicles/{Vin}/charges?{range}&format=csv", Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",source", csv[0], StringComparison.Ordinal);
        Assert.EndsWith(",car", csv[1], StringComparison.Ordinal);
        Assert.Equal(session.GetProperty("cost").GetDouble(), double.Parse(csv[1].Split(',')[6], CultureInfo.InvariantCulture));

        var legacy = JsonSerializer.Deserialize<JsonElement[]>(await app.Client.GetStringAsync("/vehicles/chargings", Ct))!
            .Single(c => c.GetProperty("VIN").GetString() == Vin && c.GetProperty("start_at").GetString() == HttpDate(session.GetProperty("start").GetDateTimeOffset()));
        Assert.Equal(session.GetProperty("cost").GetDouble(), legacy.GetProperty("price").GetDouble());
        Assert.Equal(session.GetProperty("energyKwh").GetDouble(), legacy.GetProperty("kw").GetDouble());
    }

    [Fact]
    public async Task A_charge_the_gateway_saw_is_not_added_again_from_the_car_list()
    {
        await using var app = await GatewayApp.StartAsync(Settings(hostedReader: false));
        await StopDemoChargeAsync(app);

        var (start, end) = await ChargeAtNightAsync(app, watch: true);
        await app.Services.GetRequiredService<HistoryWriter>().FlushAsync(Ct);
        await app.Services.GetRequiredService<CarChargeReader>().ReadAsync(Ct);
        Assert.True(app.Simulator.Renault.CallCount("charges") > 0);

        var range = $"from={Iso(start.AddHours(-1))}&to={Iso(end)}";
        var session = Assert.Single((await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{Vin}/charges?{range}", Ct))!);
        Assert.Equal("gateway", session.GetProperty("source").GetString());
        using var connection = app.Services.GetRequiredService<HistoryDatabase>().Open();
        Assert.Empty(CarCharges.Read(connection, Vin, start.AddHours(-1), end));
    }

    [Fact]
    public async Task A_second_read_the_same_day_makes_no_cloud_call()
    {
        await using var app = await GatewayApp.StartAsync(Settings(hostedReader: false));
        var reader = app.Services.GetRequiredService<CarChargeReader>();
        await Poll(app);
        AdvanceTo(app, NextDayAt(app, 1));
        await reader.ReadAsync(Ct);
        Assert.True(app.Simulator.Renault.CallCount("charges") > 0);

        app.Simulator.Renault.ResetCounters();
        await reader.ReadAsync(Ct);
        app.Time.Advance(TimeSpan.FromHours(21));
        await reader.ReadAsync(Ct);

        Assert.Equal(0, app.Simulator.Renault.CallCount("charges"));
    }

    [Fact]
    public async Task After_a_restart_the_car_list_is_not_read_again_until_the_next_day()
    {
        await using var bed = await TestBed.StartAsync(new SimulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow) });
        int firstDay;
        await using (var first = GatewayApp.Start(bed, Settings(hostedReader: false)))
        {
            await Poll(first);
            AdvanceTo(first, NextDayAt(first, 1));
            await Poll(first);
            await first.Services.GetRequiredService<CarChargeReader>().ReadAsync(Ct);
            firstDay = bed.Renault.CallCount("charges");
        }

        bed.Renault.ResetCounters();
        await using var second = GatewayApp.Start(bed, Settings(hostedReader: false));
        await Poll(second);
        var reader = second.Services.GetRequiredService<CarChargeReader>();
        await reader.ReadAsync(Ct);
        Assert.Equal(0, bed.Renault.CallCount("charges"));

        AdvanceTo(second, NextDayAt(second, 0).AddMinutes(30));
        await Poll(second);
        await reader.ReadAsync(Ct);
        Assert.True(firstDay > 0);
        Assert.Equal(firstDay, bed.Renault.CallCount("charges"));
    }

    [Fact]
    public async Task A_failed_read_waits_for_the_next_day_and_then_reads_the_days_it_missed()
    {
        await using var app = await GatewayApp.StartAsync(Settings(hostedReader: false));
        var reader = app.Services.GetRequiredService<CarChargeReader>();
        await StopDemoChargeAsync(app);
        var (start, end) = await ChargeAtNightAsync(app);
        var renaults = (await app.Services.GetRequiredService<VehicleDirectory>().GetVehiclesAsync(Ct)).Count(v => v.Maker == "Renault" && v.IsElectric);
        // Every answer of this round is a server error, each read tried three times (the adapter retries reads twice).
        app.Simulator.Renault.ResetCounters();
        app.Simulator.Renault.FailNext(renaults * 3, RenaultFault.ServerError500, "charges");

        Assert.Equal(0, await reader.ReadAsync(Ct));
        Assert.Equal(renaults * 3, app.Simulator.Renault.CallCount("charges"));
        Assert.Contains(app.Log.Lines, line => line.Contains("could not be read", StringComparison.Ordinal) && line.Contains(Vin, StringComparison.Ordinal));
        app.Simulator.Renault.ResetCounters();
        app.Time.Advance(TimeSpan.FromHours(1));
        await reader.ReadAsync(Ct);
        Assert.Equal(0, app.Simulator.Renault.CallCount("charges"));

        // No status read in between: a sample after the charge would let the gateway find the session itself, and
        // which of the two sees it first would depend on when the history writer flushes.
        AdvanceTo(app, NextDayAt(app, 0).AddMinutes(5));
        Assert.True(await reader.ReadAsync(Ct) >= 1);
        using var connection = app.Services.GetRequiredService<HistoryDatabase>().Open();
        Assert.Equal(start, Assert.Single(CarCharges.Read(connection, Vin, start.AddHours(-1), end)).Start, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_read_the_call_budget_refuses_is_tried_again_an_hour_later_at_background_priority()
    {
        await using var app = await GatewayApp.StartAsync(Settings(hostedReader: false));
        var reader = app.Services.GetRequiredService<CarChargeReader>();
        await Poll(app);
        AdvanceTo(app, NextDayAt(app, 1));
        await Poll(app);
        // Commands used the hour up to the background share: the owner's reads still have room, the car list waits.
        var budget = app.Services.GetRequiredService<CallBudgets>().For("Renault");
        while (budget.Admits(CallPriority.Background, 1, out _))
        {
            Assert.True(budget.TrySpend(CallPriority.Command, out _));
        }

        app.Simulator.Renault.ResetCounters();
        Assert.Equal(0, await reader.ReadAsync(Ct));
        Assert.Equal(0, app.Simulator.Renault.CallCount("charges"));
        Assert.True(budget.Admits(CallPriority.Person, 1, out _));

        app.Time.Advance(TimeSpan.FromMinutes(61));
        await reader.ReadAsync(Ct);
        Assert.True(app.Simulator.Renault.CallCount("charges") > 0);
    }

    [Fact]
    public async Task A_car_without_a_charge_list_is_asked_once_not_every_hour()
    {
        await using var app = await GatewayApp.StartAsync(Settings(hostedReader: true));
        var reader = app.Services.GetRequiredService<CarChargeReader>();
        var vehicles = await app.Services.GetRequiredService<VehicleDirectory>().GetVehiclesAsync(Ct);
        var renaults = vehicles.Count(v => v.Maker == "Renault" && v.IsElectric);
        var withList = new[] { RenaultCloud.DemoZoePhase1Vin, RenaultCloud.DemoZoePhase2Vin }.Length;

        // The background reader takes its first look a quarter of an hour after the start, on its own.
        await Poll(app);
        app.Time.Advance(TimeSpan.FromMinutes(16));
        await WaitForAsync(() => app.Simulator.Renault.CallCount("charges") == renaults);
        var megane = vehicles.Single(v => v.Vin == RenaultCloud.DemoMeganeVin);
        Assert.DoesNotContain(app.Services.GetServices<IChargeHistorySource>(), source => source.Supports(megane));

        // From here the test runs the hourly rounds itself, once the reader's own first round is over (a round waits for
        // the one running). A round of the reader's still asking a car while the test moves the clock on an hour would
        // see that call's attempt time out, and the retry would ask the car a second time.
        await reader.ReadAsync(Ct);
        await reader.StopAsync(Ct);

        // A day and a bit, hour by hour: only the cars that have a list are asked again, once, the next day.
        var tomorrow = NextDayAt(app, 1);
        while (app.Time.GetUtcNow() < tomorrow)
        {
            app.Time.Advance(TimeSpan.FromHours(1));
            await reader.ReadAsync(Ct);
        }

        await WaitForAsync(() => app.Simulator.Renault.CallCount("charges") == renaults + withList);
        Assert.Equal(renaults + withList, app.Simulator.Renault.CallCount("charges"));
        Assert.Single(app.Log.Lines, line => line.Contains("no charge history", StringComparison.Ordinal) && line.Contains(RenaultCloud.DemoMeganeVin, StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> Settings(bool hostedReader)
    {
        var settings = SimulatedDayTests.FixedRates(feed: false);
        settings["History:ReadCarCharges"] = hostedReader ? "true" : "false";
        // Only the test's own reads let the gateway see the car: no background refresh.
        settings["Gateway:RefreshPolicy"] = "never";
        return settings;
    }

    // The demo Zoe is charging when the simulator starts; the gateway sees that once, then the charge is stopped.
    private static async Task StopDemoChargeAsync(GatewayApp app)
    {
        await Poll(app);
        app.Simulator.Renault.Car(Vin).StopCharging();
    }

    /// <summary>Plugs the car in at 23:00 UTC the next night at 40 % and lets it charge to full; returns the charge's start and end.</summary>
    private static async Task<(DateTimeOffset Start, DateTimeOffset End)> ChargeAtNightAsync(GatewayApp app, bool watch = false)
    {
        var car = app.Simulator.Renault.Car(Vin);
        AdvanceTo(app, NextDayAt(app, 23));
        car.SetLevel(40);
        if (watch)
        {
            await Poll(app);
        }

        car.Plug(true);
        car.StartCharging();
        var start = app.Time.GetUtcNow();
        for (var quarter = 0; quarter < 6 * 4; quarter++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(15));
            if (watch)
            {
                await Poll(app);
            }
        }

        car.Plug(false);
        var charge = car.Charges().Single(c => c.Start == start);
        return (start, charge.End);
    }

    private static DateTimeOffset NextDayAt(GatewayApp app, int hour) =>
        new DateTimeOffset(app.Time.GetUtcNow().UtcDateTime.Date.AddDays(1).AddHours(hour), TimeSpan.Zero);

    private static void AdvanceTo(GatewayApp app, DateTimeOffset at) => app.Time.Advance(at - app.Time.GetUtcNow());

    private static async Task Poll(GatewayApp app)
    {
        var answer = await app.Client.GetAsync($"/api/vehicles/{Vin}/status?maxAge=0", Ct);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync(Ct));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var giveUp = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(20, Ct);
        }
    }

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));

    private static string HttpDate(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
}
