using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Charging.Schedules;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static EvGateway.Tests.TestSupport.ChargingSettings;

namespace EvGateway.Tests.Charging.Schedules;

public sealed class ChargeScheduleTests : IDisposable
{
    private const string Vin = "VF1AG000X64000001";
    private const string NoSchedules = "VF1AG000X64000002";
    private readonly TemporaryDirectory data = new();
    private readonly InMemoryScheduling car = new(Vin);

    public void Dispose() => data.Dispose();

    private async Task<GatewayApp> StartAsync(FakeTimeProvider time)
    {
        var renault = new SimulatedCarsProvider("Renault", time, Paris);
        renault.Add(Vin, level: 50, charging: false);
        renault.Add(NoSchedules, level: 50, charging: false);
        return await GatewayApp.StartOverStandInsAsync(time, data.Path, [renault, car], InParis());
    }

    private static object Schedule(string mode, params object[] schedules) => new { mode, schedules };

    [Fact]
    public async Task Local_times_are_stored_in_utc_and_read_back_unchanged()
    {
        await using var host = await StartAsync(new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z")));
        var body = Schedule("scheduled", new
        {
            id = 1,
            active = true,
            days = new Dictionary<string, object>
            {
                ["monday"] = new { start = "22:30", end = "06:00" },
                ["sunday"] = new { start = "00:15", end = "02:00" },
            }
        });

        var put = await host.Client.PutAsJsonAsync($"/api/vehicles/{Vin}/charge-schedule", body, TestContext.Current.CancellationToken);
        var read = await host.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Vin}/charge-schedule", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = Assert.Single(car.Stored!.Schedules);
        Assert.Equal(CarChargeMode.Scheduled, car.Stored.Mode);
        // Paris is UTC+1 in November; 00:15 on Sunday is 23:15 UTC on Saturday.
        Assert.Contains(new CarPeriod(DayOfWeek.Monday, new TimeOnly(21, 30), 450), stored.Periods);
        Assert.Contains(new CarPeriod(DayOfWeek.Saturday, new TimeOnly(23, 15), 105), stored.Periods);
        Assert.Equal("scheduled", read.GetProperty("mode").GetString());
        var days = read.GetProperty("schedules")[0].GetProperty("days");
        Assert.Equal("22:30", days.GetProperty("monday").GetProperty("start").GetString());
        Assert.Equal("06:00", days.GetProperty("monday").GetProperty("end").GetString());
        Assert.Equal("00:15", days.GetProperty("sunday").GetProperty("start").GetString());
    }

    [Fact]
    public async Task The_utc_conversion_follows_the_clock_change_and_round_trips_across_it()
    {
        // Friday 27 March 2026; Paris moves from UTC+1 to UTC+2 in the night to Sunday 29 March.
        await using var host = await StartAsync(new FakeTimeProvider(DateTimeOffset.Parse("2026-03-27T12:00:00Z")));
        var days = new Dictionary<string, object>
        {
            ["friday"] = new { start = "22:30", end = "06:00" },
            ["sunday"] = new { start = "01:00", end = "01:45" },
            ["monday"] = new { start = "22:30", end = "06:30" },
        };

        await host.Client.PutAsJsonAsync($"/api/vehicles/{Vin}/charge-schedule",
            Schedule("scheduled", new { id = 2, active = true, days }), TestContext.Current.CancellationToken);
        var read = await host.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Vin}/charge-schedule", TestContext.Current.CancellationToken);

        var periods = Assert.Single(car.Stored!.Schedules).Periods;
        Assert.Contains(new CarPeriod(DayOfWeek.Friday, new TimeOnly(21, 30), 450), periods);
        Assert.Contains(new CarPeriod(DayOfWeek.Sunday, new TimeOnly(0, 0), 45), periods);
        Assert.Contains(new CarPeriod(DayOfWeek.Monday, new TimeOnly(20, 30), 480), periods);
        var back = read.GetProperty("schedules")[0].GetProperty("days");
        Assert.Equal(["friday", "monday", "sunday"], back.EnumerateObject().Select(p => p.Name).Order());
        foreach (var (day, start, end) in new[] { ("friday", "22:30", "06:00"), ("sunday", "01:00", "01:45"), ("monday", "22:30", "06:30") })
        {
            Assert.Equal(start, back.GetProperty(day).GetProperty("start").GetString());
            Assert.Equal(end, back.GetProperty(day).GetProperty("end").GetString());
        }
    }

    [Theory]
    [InlineData("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"monday":{"start":"22:10","end":"23:00"}}}]}""", "quarter_hour_start")]
    [InlineData("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"monday":{"start":"22:00","end":"22:20"}}}]}""", "duration_quarter_hours")]
    [InlineData("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"monday":{"start":"22:00","end":"23:00"},"tuesday":{"start":"00:30","end":"01:00"}}}]}""", "one_period_per_day")]
    [InlineData("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"monday":{"start":"20:00","end":"12:00"},"tuesday":{"start":"10:00","end":"11:00"}}}]}""", "no_overlap")]
    [InlineData("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"sunday":{"start":"20:00","end":"08:00"},"monday":{"start":"07:00","end":"09:00"}}}]}""", "no_overlap")]
    [InlineData("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{}},{"id":2,"active":true,"days":{}}]}""", "one_active_schedule")]
    [InlineData("""{"mode":"always","schedules":[{"id":1,"active":false,"days":{}},{"id":1,"active":false,"days":{}}]}""", "unique_ids")]
    public async Task A_schedule_the_car_would_refuse_is_a_400_naming_the_rule_and_is_not_sent(string body, string rule)
    {
        await using var host = await StartAsync(new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z")));

        var response = await host.Client.PutAsync($"/api/vehicles/{Vin}/charge-schedule",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        Assert.Null(car.Stored);
    }

    [Fact]
    public async Task More_than_five_schedules_are_refused()
    {
        var six = new CarChargeSchedules(CarChargeMode.Always, Enumerable.Range(1, 6).Select(i => new CarSchedule(i, false, [])).ToList());

        Assert.Equal("max_schedules", ChargeScheduleRules.Check(six)?.Rule);
        Assert.Null(ChargeScheduleRules.Check(six with { Schedules = six.Schedules.Take(5).ToList() }));
    }

    [Theory]
    [InlineData("""{"mode":"sometimes","schedules":[]}""", "mode")]
    [InlineData("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"moonday":{"start":"22:00","end":"23:00"}}}]}""", "schedules[0].Days[0].Key")]
    [InlineData("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"monday":{"start":"25:00","end":"23:00"}}}]}""", "schedules[0].Days[0].Value.Start")]
    [InlineData("""{"mode":"scheduled","daily":{"start":"24:00","end":"06:00"}}""", "daily.start")]
    [InlineData("""{"mode":"scheduled","daily":{"start":"22:00","end":"6h"}}""", "daily.end")]
    [InlineData("""{"mode":"scheduled","daily":{"start":"22:00"},"schedules":[{"id":1,"active":true,"days":{}}]}""", "daily")]
    public async Task Malformed_input_is_a_400_naming_the_field(string body, string field)
    {
        await using var host = await StartAsync(new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z")));

        var response = await host.Client.PutAsync($"/api/vehicles/{Vin}/charge-schedule",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_car_without_schedules_answers_501()
    {
        await using var host = await StartAsync(new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T12:00:00Z")));

        var response = await host.Client.GetAsync($"/api/vehicles/{NoSchedules}/charge-schedule", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
    }

    /// <summary>A car that keeps whatever schedules it is given, for one VIN.</summary>
    private sealed class InMemoryScheduling(string vin) : IChargeScheduling
    {
        public CarChargeSchedules? Stored { get; private set; }

        public bool Supports(Vehicle vehicle) => vehicle.Vin == vin;

        public Task<CarChargeSchedules> GetAsync(Vehicle vehicle, CancellationToken cancellationToken) =>
            Task.FromResult(Stored ?? new CarChargeSchedules(CarChargeMode.Always, []));

        public Task SetAsync(Vehicle vehicle, CarChargeSchedules schedules, CancellationToken cancellationToken)
        {
            Stored = schedules;
            return Task.CompletedTask;
        }
    }
}
