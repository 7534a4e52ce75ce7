using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Vehicles;

public class StatusApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_demo_car_is_listed_with_its_capabilities()
    {
        await using var app = await GatewayApp.StartAsync();

        var cars = await app.Client.GetFromJsonAsync<JsonElement[]>("/api/vehicles", Ct);

        var vins = cars!.Select(c => c.GetProperty("vin").GetString()).ToArray();
        Assert.Contains(RenaultCloud.DemoZoePhase2Vin, vins);
        Assert.Contains(RenaultCloud.DemoMeganeVin, vins);
        Assert.Contains(RenaultCloud.DemoSpringVin, vins);
        var spring = cars!.Single(c => c.GetProperty("vin").GetString() == RenaultCloud.DemoSpringVin);
        Assert.Equal("Dacia", spring.GetProperty("brand").GetString());
        Assert.Contains("BatteryStatus", spring.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Status_values_equal_the_simulated_car_after_mapping()
    {
        await using var app = await GatewayApp.StartAsync();
        var car = app.Simulator.Renault.Car(RenaultCloud.DemoZoePhase2Vin).Read();

        var status = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/status", Ct);

        Assert.Equal(car.Level, status.GetProperty("batteryLevel").GetDouble(), precision: 0);
        Assert.Equal(car.RangeKm, status.GetProperty("rangeKm").GetDouble(), precision: 0);
        Assert.Equal(car.Plugged ? "plugged" : "unplugged", status.GetProperty("plugState").GetString());
        Assert.Equal(car.Charging ? "charging" : "notCharging", status.GetProperty("chargeState").GetString());
        Assert.Equal(car.OdometerKm, status.GetProperty("odometerKm").GetDouble(), precision: 0);
        Assert.Equal(car.Latitude, status.GetProperty("location").GetProperty("latitude").GetDouble(), precision: 4);
        Assert.Equal(car.Longitude, status.GetProperty("location").GetProperty("longitude").GetDouble(), precision: 4);
        Assert.False(status.GetProperty("stale").GetBoolean());
    }

    [Fact]
    public async Task A_hundred_concurrent_fresh_reads_of_one_car_cost_one_cloud_call()
    {
        await using var app = await GatewayApp.StartAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);
        app.Simulator.Renault.ResetCounters();

        var reads = Enumerable.Range(0, 100)
            .Select(_ => app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/status?maxAge=0", Ct));
        var answers = await Task.WhenAll(reads);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, app.Simulator.Renault.CallCount("battery-status"));
    }

    [Fact]
    public async Task Status_is_served_from_cache_within_its_max_age()
    {
        await using var app = await GatewayApp.StartAsync();
        var url = $"/api/vehicles/{RenaultCloud.DemoMeganeVin}/status";
        await app.Client.GetAsync(url, Ct);
        app.Simulator.Renault.ResetCounters();

        await app.Client.GetAsync(url, Ct);
        app.Time.Advance(TimeSpan.FromSeconds(61));
        await app.Client.GetAsync(url, Ct);

        Assert.Equal(1, app.Simulator.Renault.CallCount("battery-status"));
    }

    [Fact]
    public async Task Status_is_served_stale_from_cache_when_the_cloud_is_rate_limited_and_the_cloud_is_left_alone()
    {
        await using var app = await GatewayApp.StartAsync();
        var url = $"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/status";
        var fresh = await app.Client.GetFromJsonAsync<JsonElement>(url, Ct);
        app.Simulator.Renault.FailNext(1, RenaultFault.QuotaExceeded429);
        app.Time.Advance(TimeSpan.FromSeconds(1));

        var stale = await app.Client.GetFromJsonAsync<JsonElement>(url + "?maxAge=0", Ct);
        app.Simulator.Renault.ResetCounters();
        var again = await app.Client.GetAsync(url + "?maxAge=0", Ct);

        Assert.True(stale.GetProperty("stale").GetBoolean());
        Assert.Equal(fresh.GetProperty("batteryLevel").GetDouble(), stale.GetProperty("batteryLevel").GetDouble());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(0, app.Simulator.Renault.CallCount("battery-status"));
    }

    [Fact]
    public async Task A_rate_limited_read_with_nothing_cached_is_a_503_with_Retry_After()
    {
        await using var app = await GatewayApp.StartAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);
        app.Simulator.Renault.FailNext(1, RenaultFault.QuotaExceeded429);

        var answer = await app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoSpringVin}/status", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        Assert.NotNull(answer.Headers.RetryAfter);
        Assert.Equal("upstream_rate_limited", (await Problem(answer)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_VIN_is_a_404_problem()
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.GetAsync("/api/vehicles/VF1ZZZZZZZZZZZZZZ/status", Ct);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("vehicle_not_found", (await Problem(answer)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_command_the_model_lacks_is_a_501_and_the_cloud_is_not_called()
    {
        await using var app = await GatewayApp.StartAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);
        app.Simulator.Renault.ResetCounters();

        var answer = await app.Client.PostAsync($"/api/vehicles/{RenaultCloud.DemoSpringVin}/commands/horn", null, Ct);

        Assert.Equal(HttpStatusCode.NotImplemented, answer.StatusCode);
        Assert.Equal("capability_not_supported", (await Problem(answer)).GetProperty("code").GetString());
        Assert.Equal(0, app.Simulator.Renault.CallCount("horn-lights"));
    }

    [Fact]
    public async Task Location_of_a_Zoe_phase_1_is_a_501_without_a_cloud_call()
    {
        await using var app = await GatewayApp.StartAsync();
        await app.Client.GetAsync("/api/vehicles", Ct);
        app.Simulator.Renault.ResetCounters();

        var answer = await app.Client.GetAsync($"/position/{RenaultCloud.DemoZoePhase1Vin}", Ct);
        var status = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/status", Ct);

        Assert.Equal(HttpStatusCode.NotImplemented, answer.StatusCode);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("location").ValueKind);
        Assert.Equal(0, app.Simulator.Renault.CallCount("location"));
    }

    [Theory]
    [InlineData("/api/vehicles/not-a-vin/status")]
    [InlineData("/api/vehicles/VF1AG000164000001/status?maxAge=-1")]
    [InlineData("/api/vehicles/VF1AG000164000001/status?maxAge=99999999999999999999")]
    [InlineData("/api/vehicles/VF1AG000164000001/status?maxAge=abc")]
    [InlineData("/api/vehicles/VF1AG00016400000I/status")]
    [InlineData("/api/vehicles/VF1AG0001640000012/status")]
    public async Task Malformed_input_is_a_400_problem_that_names_the_field(string url)
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await Problem(answer);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetRawText().Contains("vin", StringComparison.OrdinalIgnoreCase)
                    || problem.GetRawText().Contains("maxAge", StringComparison.OrdinalIgnoreCase), problem.GetRawText());
    }

    [Theory]
    [InlineData("/api/vehicles/VF1AG000164000001/commands/self-destruct")]
    [InlineData("/api/vehicles/VF1AG000164000001/commands/horn?count=500")]
    [InlineData("/api/vehicles/VF1AG000164000001/commands/climate-start?temperature=90")]
    [InlineData("/api/vehicles/VF1AG000164000001/commands/horn?count=two")]
    public async Task Malformed_command_input_is_a_400_problem(string url)
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.PostAsync(url, null, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("validation_failed", (await Problem(answer)).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("charge-schedule", """{"mode":"scheduled","daily":{"start":1}}""", "daily.start", "must be a string.")]
    [InlineData("charge-schedule", """{"mode":"scheduled","schedules":{"id":1}}""", "schedules", "must be a list.")]
    [InlineData("charge-schedule", """{"mode":true,"schedules":[]}""", "mode", "must be a string.")]
    [InlineData("charge-schedule", """{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":[]}]}""", "schedules[0].days", "must be an object.")]
    [InlineData("charge-control", """{"percentageThreshold":"eighty"}""", "percentageThreshold", "must be a number.")]
    public async Task A_body_of_the_wrong_json_type_is_a_400_naming_the_field_in_json_words(string route, string body, string field, string reason)
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/{route}",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await Problem(answer);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal([reason], problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("EvGateway", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_invalid_credentials_and_no_further_login_is_attempted()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Renault:Password"] = "not-the-password" });

        var first = await app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/status", Ct);
        for (var i = 0; i < 10; i++)
        {
            await app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/status?maxAge=0", Ct);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal("invalid_credentials", (await Problem(first)).GetProperty("code").GetString());
        Assert.Equal(1, app.Simulator.Renault.CallCount("accounts.login"));
    }

    [Fact]
    public async Task An_expired_JWT_costs_exactly_one_getJWT_before_the_next_read_succeeds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await GatewayApp.StartAsync(simulatorOptions: new SimulatorOptions
        {
            TimeProvider = time,
            RenaultJwtLifetime = TimeSpan.FromMinutes(15),
        });
        var url = $"/api/vehicles/{RenaultCloud.DemoMeganeVin}/status?maxAge=0";
        await app.Client.GetAsync(url, Ct);
        app.Simulator.Renault.ResetCounters();

        time.Advance(TimeSpan.FromMinutes(16));
        var answer = await app.Client.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(1, app.Simulator.Renault.CallCount("accounts.getJWT"));
        Assert.Equal(0, app.Simulator.Renault.CallCount("accounts.login"));
    }

    internal static async Task<JsonElement> Problem(HttpResponseMessage answer)
    {
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        return await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}

public class StatusChargeControlTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_status_shows_the_cars_charge_control_once_it_has_a_setting()
    {
        await using var app = await GatewayApp.StartAsync();
        var url = $"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}";
        var before = await app.Client.GetFromJsonAsync<JsonElement>(url + "/status", Ct);

        var put = await app.Client.PutAsJsonAsync(url + "/charge-control", new { percentageThreshold = 80, stopAt = "22:30" }, Ct);
        var after = await app.Client.GetFromJsonAsync<JsonElement>(url + "/status", Ct);

        Assert.Equal(JsonValueKind.Null, before.GetProperty("chargeControl").ValueKind);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var control = after.GetProperty("chargeControl");
        Assert.Equal(80, control.GetProperty("percentageThreshold").GetInt32());
        Assert.Equal("22:30", control.GetProperty("stopAt").GetString());
        Assert.Equal(JsonValueKind.Null, control.GetProperty("lastError").ValueKind);
    }
}
