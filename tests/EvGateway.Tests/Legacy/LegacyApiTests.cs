using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator.Renault;

namespace EvGateway.Tests.Legacy;

public class LegacyApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_vehicles_lists_every_car_in_the_old_bridge_shape()
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.SendAsync(LanPage.Get("/get_vehicles"), Ct);
        var cars = await answer.Content.ReadFromJsonAsync<JsonElement[]>(Ct);

        Assert.Equal(LanPage.Origin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var zoe = cars!.Single(c => c.GetProperty("vin").GetString() == RenaultCloud.DemoZoePhase2Vin);
        foreach (var key in new[] { "vin", "vehicle_id", "label", "brand", "abrp_name", "battery_power", "fuel_capacity", "max_elec_consumption", "max_fuel_consumption" })
        {
            Assert.True(zoe.TryGetProperty(key, out _), key);
        }

        Assert.Equal(52, zoe.GetProperty("battery_power").GetDouble());
    }

    [Fact]
    public async Task Get_vehicleinfo_of_a_Renault_car_carries_its_simulated_values()
    {
        await using var app = await GatewayApp.StartAsync();
        var car = app.Simulator.Renault.Car(RenaultCloud.DemoZoePhase2Vin).Read();

        var info = await app.Client.GetFromJsonAsync<JsonElement>($"/get_vehicleinfo/{RenaultCloud.DemoZoePhase2Vin}", Ct);

        var energy = info.GetProperty("energy")[0];
        Assert.Equal("Electric", energy.GetProperty("type").GetString());
        Assert.Equal(car.Level, energy.GetProperty("level").GetDouble(), precision: 0);
        Assert.Equal(car.Charging ? "InProgress" : "Stopped", energy.GetProperty("charging").GetProperty("status").GetString());
        Assert.Equal(car.OdometerKm, info.GetProperty("timed_odometer").GetProperty("mileage").GetDouble(), precision: 0);
        var coordinates = info.GetProperty("last_position").GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(car.Longitude, coordinates[0].GetDouble(), precision: 4);
        Assert.Equal(car.Latitude, coordinates[1].GetDouble(), precision: 4);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d$", energy.GetProperty("updated_at").GetString());
    }

    [Fact]
    public async Task From_cache_never_calls_the_cloud()
    {
        await using var app = await GatewayApp.StartAsync();
        var url = $"/get_vehicleinfo/{RenaultCloud.DemoMeganeVin}";
        var none = await app.Client.GetAsync(url + "?from_cache=1", Ct);
        await app.Client.GetAsync(url, Ct);
        app.Simulator.Renault.ResetCounters();
        app.Time.Advance(TimeSpan.FromHours(1));

        var cached = await app.Client.GetAsync(url + "?from_cache=1", Ct);

        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(0, app.Simulator.Renault.CallCount("battery-status"));
    }

    [Fact]
    public async Task An_unknown_VIN_is_a_404_with_an_error_field()
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.GetAsync("/get_vehicleinfo/VF1ZZZZZZZZZZZZZZ", Ct);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.False(string.IsNullOrEmpty((await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("/get_vehicleinfo/bad")]
    [InlineData("/position/VF1AG00016400000%3C")]
    [InlineData("/charge_now/VF1AG000164000001/7")]
    [InlineData("/horn/VF1AG000164000001/-1")]
    [InlineData("/lights/VF1AG000164000001/abc")]
    [InlineData("/charge_hour?vin=VF1AG000164000001&hour=25&minute=0")]
    [InlineData("/charge_hour?vin=VF1AG000164000001&hour=7&minute=61")]
    [InlineData("/lock_door/VF1AG000164000001/maybe")]
    public async Task Bad_input_on_legacy_routes_is_a_400_with_an_error_field(string url)
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.True((await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Position_answers_coordinates_and_a_map_link()
    {
        await using var app = await GatewayApp.StartAsync();
        var car = app.Simulator.Renault.Car(RenaultCloud.DemoMeganeVin).Read();

        var position = await app.Client.GetFromJsonAsync<JsonElement>($"/position/{RenaultCloud.DemoMeganeVin}", Ct);

        Assert.Equal(car.Latitude, position.GetProperty("latitude").GetDouble(), precision: 4);
        Assert.Equal(car.Longitude, position.GetProperty("longitude").GetDouble(), precision: 4);
        Assert.StartsWith("https://maps.google.com/maps?q=", position.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Charge_now_0_stops_a_charging_Renault_and_answers_true()
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.GetAsync($"/charge_now/{RenaultCloud.DemoZoePhase2Vin}/0", Ct);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("true", await answer.Content.ReadAsStringAsync(Ct));
        Assert.False(app.Simulator.Renault.Car(RenaultCloud.DemoZoePhase2Vin).Read().Charging);
    }

    [Fact]
    public async Task A_read_only_gateway_refuses_commands_with_403()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:AllowRemoteCommands"] = "false" });

        var answer = await app.Client.GetAsync($"/charge_now/{RenaultCloud.DemoZoePhase2Vin}/0", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.True(app.Simulator.Renault.Car(RenaultCloud.DemoZoePhase2Vin).Read().Charging);
    }
}
