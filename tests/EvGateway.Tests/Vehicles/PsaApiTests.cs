using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator.Psa;

namespace EvGateway.Tests.Vehicles;

/// <summary>The PSA cars through both HTTP surfaces: the real adapter, the simulated cloud's REST API and MQTT broker.</summary>
public class PsaApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Both_PSA_cars_are_listed_next_to_the_Renault_ones()
    {
        await using var app = await GatewayApp.StartAsync();

        var cars = await app.Client.GetFromJsonAsync<JsonElement[]>("/get_vehicles", Ct);

        var vins = cars!.Select(c => c.GetProperty("vin").GetString()).ToArray();
        Assert.Contains(PsaCloud.DemoE208Vin, vins);
        Assert.Contains(PsaCloud.DemoHybridVin, vins);
        var e208 = cars!.Single(c => c.GetProperty("vin").GetString() == PsaCloud.DemoE208Vin);
        Assert.Equal(PsaCloud.DemoE208VehicleId, e208.GetProperty("vehicle_id").GetString());
    }

    [Fact]
    public async Task Get_vehicleinfo_of_a_PSA_car_carries_the_simulated_values_in_the_legacy_shape()
    {
        await using var app = await GatewayApp.StartAsync();
        var car = app.Simulator.Psa.Car(PsaCloud.DemoE208Vin).Read();

        var info = await app.Client.GetFromJsonAsync<JsonElement>($"/get_vehicleinfo/{PsaCloud.DemoE208Vin}", Ct);

        var energy = info.GetProperty("energy")[0];
        Assert.Equal("Electric", energy.GetProperty("type").GetString());
        Assert.Equal(car.Level, energy.GetProperty("level").GetDouble(), precision: 0);
        Assert.Equal(car.Plugged, energy.GetProperty("charging").GetProperty("plugged").GetBoolean());
        Assert.Equal(car.OdometerKm, info.GetProperty("timed_odometer").GetProperty("mileage").GetDouble(), precision: 0);
        Assert.Equal("Electric", info.GetProperty("service").GetProperty("type").GetString());
        var coordinates = info.GetProperty("last_position").GetProperty("geometry").GetProperty("coordinates");
        Assert.Equal(car.Longitude, coordinates[0].GetDouble(), precision: 4);
        Assert.Equal(car.Latitude, coordinates[1].GetDouble(), precision: 4);
        Assert.True(info.TryGetProperty("battery", out var battery) && battery.TryGetProperty("voltage", out _));
        Assert.Equal(car.Charging, energy.GetProperty("charging").GetProperty("charging_rate").GetDouble() > 0);
    }

    [Fact]
    public async Task Charge_now_0_answers_true_once_the_car_has_stopped()
    {
        await using var app = await GatewayApp.StartAsync();
        var car = app.Simulator.Psa.Car(PsaCloud.DemoE208Vin);
        car.Plug(true);
        car.StartCharging();
        Assert.True(car.Read().Charging);

        var answer = await app.Client.GetAsync($"/charge_now/{PsaCloud.DemoE208Vin}/0", Ct);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("true", await answer.Content.ReadAsStringAsync(Ct));
        Assert.False(car.Read().Charging);
        var sent = Assert.Single(app.Simulator.Psa.Published, p => p.Service == "/VehCharge");
        Assert.Equal("delayed", sent.Envelope!.Value.GetProperty("req_parameters").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_REST_command_answers_202_with_the_cars_correlation_id()
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.PostAsync($"/api/vehicles/{PsaCloud.DemoE208Vin}/commands/climate-start", null, Ct);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.True(body.GetProperty("accepted").GetBoolean());
        var sent = Assert.Single(app.Simulator.Psa.Published, p => p.Service == "/ThermalPrecond");
        Assert.Equal(sent.Envelope!.Value.GetProperty("correlation_id").GetString(), body.GetProperty("correlationId").GetString());
        Assert.True(app.Simulator.Psa.Car(PsaCloud.DemoE208Vin).Read().ClimateActive);
    }

    [Fact]
    public async Task The_seventh_wake_up_within_twenty_minutes_is_a_429_with_Retry_After_and_publishes_nothing()
    {
        await using var app = await GatewayApp.StartAsync();
        for (var i = 0; i < 6; i++)
        {
            var ok = await app.Client.GetAsync($"/wakeup/{PsaCloud.DemoE208Vin}", Ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var seventh = await app.Client.GetAsync($"/wakeup/{PsaCloud.DemoE208Vin}", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, seventh.StatusCode);
        Assert.NotNull(seventh.Headers.RetryAfter);
        Assert.Equal("Wakeup rate limit exceeded", (await seventh.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("error").GetString());
        Assert.Equal(6, app.Simulator.Psa.Published.Count(p => p.Service == "/VehCharge/state"));
    }

    [Fact]
    public async Task Unlocking_needs_its_own_opt_in_and_nothing_is_sent_without_it()
    {
        await using var app = await GatewayApp.StartAsync();

        var unlock = await app.Client.GetAsync($"/lock_door/{PsaCloud.DemoE208Vin}/0", Ct);
        var rest = await app.Client.PostAsync($"/api/vehicles/{PsaCloud.DemoE208Vin}/commands/unlock", null, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
        Assert.DoesNotContain(app.Simulator.Psa.Published, p => p.Service == "/Doors");
    }

    [Fact]
    public async Task With_the_unlock_opt_in_the_doors_unlock()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:AllowRemoteUnlock"] = "true" });

        var unlock = await app.Client.GetAsync($"/lock_door/{PsaCloud.DemoE208Vin}/0", Ct);

        Assert.Equal("true", await unlock.Content.ReadAsStringAsync(Ct));
        Assert.False(app.Simulator.Psa.Car(PsaCloud.DemoE208Vin).Read().Locked);
    }

    [Fact]
    public async Task A_read_only_gateway_answers_403_to_every_REST_command()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:AllowRemoteCommands"] = "false" });

        foreach (var command in new[] { "wake-up", "charge-start", "charge-stop", "climate-start", "climate-stop", "lock", "horn", "lights" })
        {
            var answer = await app.Client.PostAsync($"/api/vehicles/{PsaCloud.DemoE208Vin}/commands/{command}", null, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        }

        Assert.Empty(app.Simulator.Psa.Published);
    }

    [Fact]
    public async Task A_car_event_updates_the_cached_status_at_once()
    {
        await using var app = await GatewayApp.StartAsync();
        var url = $"/api/vehicles/{PsaCloud.DemoE208Vin}/status";
        var car = app.Simulator.Psa.Car(PsaCloud.DemoE208Vin);
        car.Plug(true);
        await app.Client.GetAsync(url + "?maxAge=0", Ct);

        await app.Client.GetAsync($"/charge_now/{PsaCloud.DemoE208Vin}/1", Ct);
        var readsBefore = app.Simulator.Psa.CallCount("/user/vehicles/{id}/status");
        var status = await WaitForAsync(async () => await app.Client.GetFromJsonAsync<JsonElement>(url, Ct),
            s => s.GetProperty("chargeState").GetString() == "charging");

        Assert.Equal("charging", status.GetProperty("chargeState").GetString());
        Assert.Equal(readsBefore, app.Simulator.Psa.CallCount("/user/vehicles/{id}/status"));
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var value = await read();
        for (var i = 0; i < 50 && !done(value); i++)
        {
            await Task.Delay(100, Ct);
            value = await read();
        }

        return value;
    }
}
