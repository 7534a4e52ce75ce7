using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.History;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.History;

public sealed class BatteryHealthTests
{
    private const string Vin = PsaCloud.DemoE208Vin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_PSA_car_state_of_health_is_kept_when_it_changes_and_served_in_REST_and_the_old_bridge_shape()
    {
        await using var app = await GatewayApp.StartAsync();
        var car = app.Simulator.Psa.Car(Vin);
        await ReadNewStatus(app, car.ReportNow);
        await ReadNewStatus(app, car.ReportNow);
        app.Simulator.Psa.SetBatteryHealth(Vin, 96.5);
        await ReadNewStatus(app, car.ReportNow);
        await app.Services.GetRequiredService<HistoryWriter>().FlushAsync(Ct);

        var readings = await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{Vin}/battery-health", Ct);
        var legacy = await app.Client.GetAsync($"/battery/soh/{Vin}", Ct);

        Assert.Equal([97.0, 96.5], readings!.Select(r => r.GetProperty("sohPercent").GetDouble()));
        Assert.True(readings![0].GetProperty("at").GetDateTimeOffset() < readings[1].GetProperty("at").GetDateTimeOffset());
        Assert.Equal("{\"soh\":96.5}\n", await legacy.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/json", legacy.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_car_that_reports_no_health_or_an_unknown_VIN_has_a_null_soh_and_an_empty_list()
    {
        await using var app = await GatewayApp.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/api/vehicles/VF1AG000164999999/battery-health", Ct)).StatusCode);
        await ReadNewStatus(app, () => { }, RenaultCloud.DemoZoePhase2Vin);
        await app.Services.GetRequiredService<HistoryWriter>().FlushAsync(Ct);

        Assert.Empty((await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/battery-health", Ct))!);
        Assert.Equal("{\"soh\":null}\n", await app.Client.GetStringAsync($"/battery/soh/{RenaultCloud.DemoZoePhase2Vin}", Ct));
        Assert.Equal("{\"soh\":null}\n", await app.Client.GetStringAsync("/battery/soh/VR3UHZKXZLT999999", Ct));
    }

    private static async Task ReadNewStatus(GatewayApp app, Action report, string vin = Vin)
    {
        app.Time.Advance(TimeSpan.FromMinutes(5));
        report();
        var answer = await app.Client.GetAsync($"/api/vehicles/{vin}/status?maxAge=0", Ct);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync(Ct));
    }
}
