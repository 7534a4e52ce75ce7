using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Vehicles.Budget;

public sealed class MissingEndpointsTests
{
    // A Zoe phase 2: a model the gateway knows, whose table says it reports its location.
    private const string Vin = RenaultCloud.DemoZoePhase2Vin;
    private const string Url = $"/api/vehicles/{Vin}/status?maxAge=0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_known_model_without_location_costs_one_call_the_first_read_none_that_day_even_after_a_restart_and_one_after_a_day()
    {
        await using var bed = await TestBed.StartAsync(new SimulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow) });
        bed.Renault.Vehicle(Vin).Lacks("location");
        JsonElement first;
        await using (var gateway = GatewayApp.Start(bed, makers: Makers.Renault))
        {
            first = await gateway.Client.GetFromJsonAsync<JsonElement>(Url, Ct);
            for (var read = 0; read < 3; read++)
            {
                bed.Time.Advance(TimeSpan.FromMinutes(20));
                await gateway.Client.GetFromJsonAsync<JsonElement>(Url, Ct);
            }
        }

        var sameDay = bed.Renault.CallCount("location");
        await using var restarted = GatewayApp.Start(bed, makers: Makers.Renault);
        var afterRestart = await restarted.Client.GetFromJsonAsync<JsonElement>(Url, Ct);
        var afterRestartCalls = bed.Renault.CallCount("location");
        bed.Time.Advance(MissingEndpoints.Recheck);
        await restarted.Client.GetFromJsonAsync<JsonElement>(Url, Ct);

        Assert.Equal(1, sameDay);
        Assert.Equal(1, afterRestartCalls);
        Assert.Equal(2, bed.Renault.CallCount("location"));
        Assert.Equal(6, bed.Renault.CallCount("battery-status"));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("location").ValueKind);
        Assert.Equal(["location"], first.GetProperty("unknownFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["location"], afterRestart.GetProperty("unknownFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(JsonValueKind.Number, first.GetProperty("batteryLevel").ValueKind);
        var file = Path.Combine(bed.DataDirectory, MissingEndpoints.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task A_car_that_answers_again_after_a_day_has_its_field_back_and_nothing_unknown()
    {
        await using var bed = await TestBed.StartAsync(new SimulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow) });
        await using var gateway = GatewayApp.Start(bed, makers: Makers.Renault);
        bed.Renault.Vehicle(Vin).Lacks("location");
        await gateway.Client.GetFromJsonAsync<JsonElement>(Url, Ct);
        bed.Renault.Vehicle(Vin).Regains("location");
        bed.Time.Advance(MissingEndpoints.Recheck);

        var again = await gateway.Client.GetFromJsonAsync<JsonElement>(Url, Ct);

        Assert.Equal(JsonValueKind.Object, again.GetProperty("location").ValueKind);
        Assert.Empty(again.GetProperty("unknownFields").EnumerateArray());
    }
}
