using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EvGateway.Simulator;
using EvGateway.Simulator.Psa;
using Microsoft.Extensions.Time.Testing;
using static EvGateway.Tests.TestSupport.ChargingSettings;

namespace EvGateway.Tests.Charging.Schedules;

/// <summary>
/// The PSA delayed-charge hour as a "daily_start" charge schedule, through the real PSA adapter (REST + MQTT) against
/// the simulated PSA cloud.
/// </summary>
public sealed class PsaChargeScheduleTests : IAsyncLifetime
{
    private GatewayApp rig = null!;

    // Wednesday 25 November 2026, 18:00 in Paris, where the cars live too.
    public async ValueTask InitializeAsync() => rig = await GatewayApp.StartAsync(InParisOverAdapters(),
        new SimulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T17:00:00Z")), CarTimeZone = Paris }, Makers.Psa);

    public ValueTask DisposeAsync() => rig.DisposeAsync();

    [Theory]
    [InlineData(PsaCloud.DemoE208Vin, "22:30")]
    [InlineData(PsaCloud.DemoHybridVin, "22:31")]
    public async Task A_PSA_car_offers_its_delayed_charge_hour_as_a_daily_start_schedule(string vin, string delayedHour)
    {
        var schedule = await GetScheduleAsync(vin);

        Assert.Equal(vin, schedule.GetProperty("vin").GetString());
        Assert.Equal("daily_start", schedule.GetProperty("form").GetString());
        Assert.Equal(delayedHour, schedule.GetProperty("daily").GetProperty("start").GetString());
        Assert.Equal(JsonValueKind.Null, schedule.GetProperty("daily").GetProperty("end").ValueKind);
        Assert.Empty(schedule.GetProperty("schedules").EnumerateArray());
        Assert.Equal("Europe/Paris", schedule.GetProperty("timeZone").GetString());
        // The demo cars charge whenever plugged in until a delayed hour is armed.
        Assert.Equal("always", schedule.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task A_new_delayed_hour_reaches_the_car_and_it_starts_charging_then_by_itself()
    {
        var car = rig.Simulator.Psa.Car(PsaCloud.DemoE208Vin);
        car.SetLevel(40);
        car.StartCharging();
        var startsAt = DateTimeOffset.Parse("2026-11-26T01:15:00+01:00");

        var (put, saved) = await PutScheduleAsync(PsaCloud.DemoE208Vin, """{"mode":"scheduled","daily":{"start":"01:15"}}""");
        var sent = ChargeCommandsFor(PsaCloud.DemoE208Vin);
        var waiting = car.Read();
        var read = await GetScheduleAsync(PsaCloud.DemoE208Vin);
        rig.Time.Advance(startsAt - rig.Time.GetUtcNow() - TimeSpan.FromMinutes(1));
        var justBefore = car.Read();
        // Also lets the gateway finish renewing its login on the real sockets before the clock moves again.
        var stillWaiting = await GetScheduleAsync(PsaCloud.DemoE208Vin);
        rig.Time.Advance(TimeSpan.FromMinutes(31));
        var halfAnHourIn = car.Read();
        var later = await GetScheduleAsync(PsaCloud.DemoE208Vin);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("scheduled", saved.GetProperty("mode").GetString());
        Assert.Equal("daily_start", saved.GetProperty("form").GetString());
        Assert.Equal("01:15", saved.GetProperty("daily").GetProperty("start").GetString());
        var command = Assert.Single(sent);
        Assert.Equal("delayed", command.GetProperty("type").GetString());
        Assert.Equal(1, command.GetProperty("program").GetProperty("hour").GetInt32());
        Assert.Equal(15, command.GetProperty("program").GetProperty("minute").GetInt32());
        Assert.False(waiting.Charging);
        Assert.Equal("scheduled", read.GetProperty("mode").GetString());
        Assert.Equal("01:15", read.GetProperty("daily").GetProperty("start").GetString());
        Assert.False(justBefore.Charging);
        Assert.Equal(waiting.Level, justBefore.Level, precision: 1);
        Assert.Equal("scheduled", stillWaiting.GetProperty("mode").GetString());
        Assert.Equal("01:15", stillWaiting.GetProperty("daily").GetProperty("start").GetString());
        Assert.True(halfAnHourIn.Charging);
        Assert.InRange(halfAnHourIn.Level, justBefore.Level + 5, justBefore.Level + 10);
        Assert.Single(ChargeCommandsFor(PsaCloud.DemoE208Vin));
        Assert.Equal("01:15", later.GetProperty("daily").GetProperty("start").GetString());
        // Charging at its hour, the car is still in its delayed programme: tomorrow it waits for 01:15 again.
        Assert.Equal("scheduled", later.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task An_end_time_is_refused_for_a_PSA_car_with_a_400_naming_the_rule()
    {
        var car = rig.Simulator.Psa.Car(PsaCloud.DemoE208Vin);

        var (put, problem) = await PutScheduleAsync(PsaCloud.DemoE208Vin,
            """{"mode":"scheduled","daily":{"start":"01:15","end":"06:00"}}""");
        var read = await GetScheduleAsync(PsaCloud.DemoE208Vin);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        Assert.Equal("start_only", problem.GetProperty("rule").GetString());
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("daily", out _));
        Assert.Empty(ChargeCommandsFor(PsaCloud.DemoE208Vin));
        Assert.True(car.Read().Charging);
        Assert.Equal("22:30", read.GetProperty("daily").GetProperty("start").GetString());
    }

    [Fact]
    public async Task Weekly_schedules_are_refused_for_a_PSA_car_naming_its_daily_form()
    {
        var (put, problem) = await PutScheduleAsync(PsaCloud.DemoE208Vin,
            """{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"monday":{"start":"22:00","end":"23:00"}}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("daily_charge", problem.GetProperty("rule").GetString());
        Assert.Contains("daily {start}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(ChargeCommandsFor(PsaCloud.DemoE208Vin));
    }

    [Fact]
    public async Task Switching_a_PSA_car_to_always_starts_a_plugged_car_charging()
    {
        var car = rig.Simulator.Psa.Car(PsaCloud.DemoE208Vin);
        car.SetLevel(40);
        car.StopCharging();

        var (put, saved) = await PutScheduleAsync(PsaCloud.DemoE208Vin, """{"mode":"always"}""");
        var charging = car.Read();
        // Past the status cache's age limit, so the read shows the car as it is now.
        rig.Time.Advance(TimeSpan.FromMinutes(2));
        var stillCharging = car.Read();
        var read = await GetScheduleAsync(PsaCloud.DemoE208Vin);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("always", saved.GetProperty("mode").GetString());
        Assert.Equal("22:30", saved.GetProperty("daily").GetProperty("start").GetString());
        Assert.Equal("immediate", Assert.Single(ChargeCommandsFor(PsaCloud.DemoE208Vin)).GetProperty("type").GetString());
        Assert.True(charging.Plugged);
        Assert.True(charging.Charging);
        Assert.True(stillCharging.Charging);
        Assert.Equal("always", read.GetProperty("mode").GetString());
    }

    private async Task<JsonElement> GetScheduleAsync(string vin)
    {
        var response = await rig.Client.GetAsync($"/api/vehicles/{vin}/charge-schedule", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET charge-schedule answered {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> PutScheduleAsync(string vin, string json)
    {
        var response = await rig.Client.PutAsync($"/api/vehicles/{vin}/charge-schedule",
            new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (response, body);
    }

    /// <summary>The charge programmes (/VehCharge, immediate or delayed) the broker received for a car, oldest first.</summary>
    private IReadOnlyList<JsonElement> ChargeCommandsFor(string vin) =>
        [.. rig.Simulator.Psa.Published
            .Where(command => command.Service == "/VehCharge" && command.Envelope is { } envelope
                && envelope.TryGetProperty("vin", out var target) && target.GetString() == vin)
            .Select(command => command.Envelope!.Value.GetProperty("req_parameters"))];
}
