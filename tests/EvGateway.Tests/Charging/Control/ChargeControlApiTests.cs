using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Charging.Control;
using EvGateway.Vehicles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static EvGateway.Tests.TestSupport.ChargingSettings;

namespace EvGateway.Tests.Charging.Control;

public sealed class ChargeControlApiTests : IAsyncLifetime
{
    private const string Vin = "VR3UHZKXZLT000001";
    private const string CannotStop = "VF1RCB00X70000003";
    private readonly TemporaryDirectory data = new();
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
    private SimulatedCarsProvider provider = null!;
    private GatewayApp host = null!;

    public async ValueTask InitializeAsync()
    {
        provider = new SimulatedCarsProvider("Psa", time, Paris);
        provider.Add(Vin, level: 60, charging: true);
        provider.Add(CannotStop, level: 50, charging: false, capabilities: [VehicleCapability.BatteryStatus, VehicleCapability.ChargeStart]);
        host = await GatewayApp.StartOverStandInsAsync(time, data.Path, [provider], InParis());
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task A_car_without_a_setting_has_no_threshold_and_no_stop_time()
    {
        var view = await host.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Vin}/charge-control", TestContext.Current.CancellationToken);

        Assert.Equal(100, view.GetProperty("percentageThreshold").GetInt32());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("stopAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("nextStopAt").ValueKind);
    }

    [Fact]
    public async Task A_setting_is_saved_and_answers_the_next_stop_in_local_time_with_its_offset()
    {
        var put = await host.Client.PutAsJsonAsync($"/api/vehicles/{Vin}/charge-control",
            new { percentageThreshold = 80, stopAt = "22:30" }, TestContext.Current.CancellationToken);
        var view = await host.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Vin}/charge-control", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(80, view.GetProperty("percentageThreshold").GetInt32());
        Assert.Equal("22:30", view.GetProperty("stopAt").GetString());
        // 20:00Z is 21:00 in Paris (UTC+1 in November): the next 22:30 is today.
        Assert.Equal("2026-11-25T22:30:00+01:00", view.GetProperty("nextStopAt").GetString());
    }

    [Theory]
    [InlineData("""{"percentageThreshold":0}""", "percentageThreshold")]
    [InlineData("""{"percentageThreshold":101}""", "percentageThreshold")]
    [InlineData("""{"percentageThreshold":-5}""", "percentageThreshold")]
    [InlineData("""{"percentageThreshold":80,"stopAt":"24:00"}""", "stopAt")]
    [InlineData("""{"percentageThreshold":80,"stopAt":"7h30"}""", "stopAt")]
    [InlineData("""{"percentageThreshold":80,"stopAt":"22:3"}""", "stopAt")]
    public async Task Bad_input_is_a_400_naming_the_field(string body, string field)
    {
        var response = await host.Client.PutAsync($"/api/vehicles/{Vin}/charge-control",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(100, host.Services.GetRequiredService<ChargeControlStore>().Get(Vin).PercentageThreshold);
    }

    [Fact]
    public async Task A_car_that_cannot_stop_charging_is_refused_with_501_at_set_time()
    {
        var response = await host.Client.PutAsJsonAsync($"/api/vehicles/{CannotStop}/charge-control",
            new { percentageThreshold = 80 }, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal(ErrorCodes.CapabilityNotSupported, problem.GetProperty("code").GetString());
        Assert.False(host.Services.GetRequiredService<ChargeControlStore>().Get(CannotStop).IsActive);
    }

    [Fact]
    public async Task An_unknown_car_is_a_404()
    {
        var response = await host.Client.GetAsync("/api/vehicles/VF1NOTONTHEACCOUNT/charge-control", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_legacy_route_sets_and_answers_in_the_old_bridge_shape_with_cors()
    {
        var response = await host.Client.SendAsync(LanPage.Get($"/charge_control?vin={Vin}&percentage=85&hour=22&minute=30"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(LanPage.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(Vin, body.GetProperty("vin").GetString());
        Assert.Equal(85, body.GetProperty("percentage_threshold").GetInt32());
        Assert.Equal([22, 30], body.GetProperty("stop_hour").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("2026-11-25T22:30:00", body.GetProperty("_next_stop_hour").GetString());
    }

    [Fact]
    public async Task The_legacy_route_changes_only_what_it_is_given()
    {
        await host.Client.GetAsync($"/charge_control?vin={Vin}&percentage=85&hour=6&minute=0", TestContext.Current.CancellationToken);

        await host.Client.GetAsync($"/charge_control?vin={Vin}&percentage=70", TestContext.Current.CancellationToken);

        Assert.Equal(new ChargeControlSetting(70, new TimeOnly(6, 0)), host.Services.GetRequiredService<ChargeControlStore>().Get(Vin));
    }

    [Theory]
    [InlineData("percentage=0", HttpStatusCode.BadRequest)]
    [InlineData("percentage=abc", HttpStatusCode.BadRequest)]
    [InlineData("hour=25&minute=0", HttpStatusCode.BadRequest)]
    [InlineData("hour=22&minute=61", HttpStatusCode.BadRequest)]
    public async Task The_legacy_route_answers_bad_input_with_400_and_an_error_field(string query, HttpStatusCode expected)
    {
        var response = await host.Client.SendAsync(LanPage.Get($"/charge_control?vin={Vin}&{query}"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        Assert.Equal(LanPage.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task The_legacy_route_answers_an_unknown_car_with_404_and_an_error_field()
    {
        var response = await host.Client.GetAsync("/charge_control?vin=VF1NOTONTHEACCOUNT&percentage=80", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("VF1NOTONTHEACCOUNT", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_read_only_gateway_refuses_charge_control_with_403_but_still_answers_reads()
    {
        using var otherData = new TemporaryDirectory();
        await using var readOnly = await GatewayApp.StartOverStandInsAsync(time, otherData.Path, [provider],
            InParis(new Dictionary<string, string?> { ["Gateway:AllowRemoteCommands"] = "false" }));

        var put = await readOnly.Client.PutAsJsonAsync($"/api/vehicles/{Vin}/charge-control", new { percentageThreshold = 80 },
            TestContext.Current.CancellationToken);
        var legacy = await readOnly.Client.GetAsync($"/charge_control?vin={Vin}&percentage=80", TestContext.Current.CancellationToken);
        var read = await readOnly.Client.GetAsync($"/api/vehicles/{Vin}/charge-control", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, legacy.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.False(readOnly.Services.GetRequiredService<ChargeControlStore>().Get(Vin).IsActive);
    }
}
