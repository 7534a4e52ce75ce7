using System.Collections.Concurrent;
using System.Net;
using EvGateway.Manufacturers.Renault;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Manufacturers.Renault;

/// <summary>
/// Cases the simulator cannot stage (a model whose reads answer 404/501, a 401 on a JWT the gateway still trusts):
/// the real adapter against a scripted cloud on a loopback socket of its own.
/// </summary>
public sealed class RenaultStubbedCloudTests
{
    private const string Vin = "VF1NEW00000000001";

    [Fact]
    public async Task An_unknown_model_learns_from_404_and_501_on_reads_and_stops_asking_for_them()
    {
        var cloud = new ScriptedCloud();
        await using var server = await LoopbackServer.StartAsync(app => app.Run(cloud.AnswerAsync));
        await using var gateway = Build(server);
        var provider = gateway.Provider;
        var car = Assert.Single(await provider.GetVehiclesAsync(TestContext.Current.CancellationToken));

        var first = await provider.GetStatusAsync(car, TestContext.Current.CancellationToken);
        var second = await provider.GetStatusAsync(car, TestContext.Current.CancellationToken);

        Assert.Equal(81, first.BatteryLevel);
        Assert.Equal(1234.5, second.OdometerKm);
        Assert.Null(second.Location);
        Assert.Null(second.Climate);
        Assert.Equal(1, cloud.Calls("location"));
        Assert.Equal(1, cloud.Calls("hvac-status"));
        Assert.Equal(2, cloud.Calls("battery-status"));
        var relisted = Assert.Single(await provider.GetVehiclesAsync(TestContext.Current.CancellationToken));
        Assert.False(relisted.Has(VehicleCapability.Location));
        Assert.False(relisted.Has(VehicleCapability.ClimateStatus));
        Assert.True(relisted.Has(VehicleCapability.BatteryStatus));
    }

    [Fact]
    public async Task A_401_from_kamereon_fetches_a_new_jwt_once_and_replays_the_call_once()
    {
        var cloud = new ScriptedCloud { RejectFirstJwtOn = "battery-status" };
        await using var server = await LoopbackServer.StartAsync(app => app.Run(cloud.AnswerAsync));
        await using var gateway = Build(server);
        var provider = gateway.Provider;
        var car = Assert.Single(await provider.GetVehiclesAsync(TestContext.Current.CancellationToken));

        var status = await provider.GetStatusAsync(car, TestContext.Current.CancellationToken);

        Assert.Equal(81, status.BatteryLevel);
        Assert.Equal(2, cloud.Calls("accounts.getJWT"));
        Assert.Equal(2, cloud.Calls("battery-status"));
        Assert.Equal(1, cloud.Calls("accounts.login"));
    }

    [Fact]
    public async Task A_login_token_refused_as_soon_as_it_was_issued_stops_further_logins()
    {
        var cloud = new ScriptedCloud { RefuseLoginTokens = true };
        await using var server = await LoopbackServer.StartAsync(app => app.Run(cloud.AnswerAsync));
        await using var gateway = Build(server);
        var provider = gateway.Provider;

        var first = await Assert.ThrowsAsync<GatewayException>(() => provider.GetVehiclesAsync(TestContext.Current.CancellationToken));
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<GatewayException>(() => provider.GetVehiclesAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(ErrorCodes.UpstreamUnavailable, first.Code);
        Assert.Contains("refused the login token it had just issued", first.Message, StringComparison.Ordinal);
        Assert.Equal(1, cloud.Calls("accounts.login"));
        Assert.Equal(1, cloud.Calls("accounts.getJWT"));
        Assert.Equal(AccountState.Unavailable, gateway.Get<RenaultLoginFlow>().State.State);
    }

    private static GatewayServices Build(LoopbackServer cloud) => GatewayServices.Compose(Makers.Renault, new Dictionary<string, string?>
    {
        ["Renault:Username"] = "owner@example.com",
        ["Renault:Password"] = "secret",
        ["Renault:GigyaUrl"] = cloud.Url.ToString(),
        ["Renault:KamereonUrl"] = cloud.Url.ToString(),
        ["Renault:RetryDelayMilliseconds"] = "0",
    }, time: new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Gigya and Kamereon answers for one person, one account and one car of a model code nobody knows.</summary>
    private sealed class ScriptedCloud
    {
        private readonly ConcurrentDictionary<string, int> calls = new();
        private int issuedJwts;

        public string? RejectFirstJwtOn { get; init; }

        /// <summary>getJWT answers 403005 "Unauthorized user" for every login token, even one just issued.</summary>
        public bool RefuseLoginTokens { get; init; }

        public int Calls(string name) => calls.GetValueOrDefault(name);

        public Task AnswerAsync(HttpContext context)
        {
            var name = context.Request.Path.Value!.Split('/').Last();
            calls.AddOrUpdate(name, 1, (_, n) => n + 1);
            var jwt = context.Request.Headers.TryGetValue("x-gigya-id_token", out var values) ? values.Single() : null;
            var (status, body) = name switch
            {
                "accounts.login" => Json("""{"errorCode":0,"sessionInfo":{"cookieValue":"login-token"}}"""),
                "accounts.getAccountInfo" => Json("""{"errorCode":0,"data":{"personId":"person-1"}}"""),
                "accounts.getJWT" when RefuseLoginTokens => Json("""{"errorCode":403005,"errorDetails":"Unauthorized user"}"""),
                "accounts.getJWT" => Json($$$"""{"errorCode":0,"id_token":"jwt-{{{Interlocked.Increment(ref issuedJwts)}}}"}"""),
                _ when name == RejectFirstJwtOn && jwt == "jwt-1" => Json("""{"type":"FUNCTIONAL","errors":[{"errorCode":"err.func.401"}]}""", HttpStatusCode.Unauthorized),
                "person-1" => Json("""{"accounts":[{"accountId":"account-1","accountType":"MYRENAULT"},{"accountId":"account-2","accountType":"SFDC"}]}"""),
                "vehicles" => Json($$$"""{"vehicleLinks":[{"vin":"{{{Vin}}}","brand":"RENAULT","vehicleDetails":{"model":{"code":"XNEW1VE","label":"NEW CAR"},"electrical":true}}]}"""),
                "battery-status" => CarData("""{"batteryLevel":81,"plugStatus":0,"chargingStatus":0.0}"""),
                "cockpit" => CarData("""{"totalMileage":1234.5}"""),
                "location" => Json("""{"type":"FUNCTIONAL","errors":[{"errorCode":"err.func.wired.notFound","errorMessage":"Resource not found"}]}""", HttpStatusCode.NotFound),
                "hvac-status" => Json("""{"type":"TECHNICAL","errors":[{"errorCode":"err.tech.501","errorMessage":"not supported"}]}""", HttpStatusCode.NotImplemented),
                _ => (HttpStatusCode.InternalServerError, null),
            };
            context.Response.StatusCode = (int)status;
            if (body is null)
            {
                return Task.CompletedTask;
            }

            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.WriteAsync(body, context.RequestAborted);
        }

        private static (HttpStatusCode, string?) CarData(string attributes) =>
            Json("{\"data\":{\"type\":\"Car\",\"id\":\"" + Vin + "\",\"attributes\":" + attributes + "}}");

        private static (HttpStatusCode, string?) Json(string body, HttpStatusCode status = HttpStatusCode.OK) => (status, body);
    }
}
