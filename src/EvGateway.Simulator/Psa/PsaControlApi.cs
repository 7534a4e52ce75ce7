using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// The <see cref="PsaCloud"/> controls over HTTP, for demos and out-of-process tests (curl-friendly: flags are query
/// values). Tokens are not exposed here: in-process callers read them from <see cref="PsaCloud"/>.
/// </summary>
internal static class PsaControlApi
{
    public static void Map(IEndpointRouteBuilder endpoints, PsaCloud cloud)
    {
        var control = endpoints.MapGroup("/_control/psa");
        control.MapGet("/cars/{vin}", (string vin) => OnCar(cloud, vin, () => TypedResults.Ok(cloud.Car(vin).Read())));
        control.MapPost("/cars/{vin}/asleep", (string vin, bool on) => OnCar(cloud, vin, () => Done(() => cloud.SetAsleep(vin, on))));
        control.MapPost("/cars/{vin}/privacy", (string vin, bool on) => OnCar(cloud, vin, () => Done(() => cloud.SetPrivacy(vin, on))));
        control.MapPost("/cars/{vin}/unresponsive", (string vin, bool on) => OnCar(cloud, vin, () => Done(() => cloud.SetUnresponsive(vin, on))));
        control.MapPost("/cars/{vin}/plugged", (string vin, bool on) => OnCar(cloud, vin, () => Done(() => cloud.Car(vin).Plug(on))));
        control.MapPost("/cars/{vin}/level", (string vin, double percent) => OnCar(cloud, vin, () => Done(() => cloud.Car(vin).SetLevel(percent))));
        control.MapPost("/remote-tokens/expire", async () =>
        {
            await cloud.ExpireRemoteTokensAsync();
            return Results.NoContent();
        });
        control.MapPost("/remote-tokens/revoke", () => Done(cloud.RevokeRemoteTokens));
        control.MapPost("/broker/refuse-logins", (bool on) => Done(() => cloud.RefuseBrokerLogins(on)));
        control.MapPost("/faults", (int count, PsaFault fault) => count < 0
            ? Results.BadRequest("count must not be negative")
            : Done(() => cloud.FailNext(count, fault)));
        control.MapGet("/counters", () => TypedResults.Ok(new
        {
            refreshCount = cloud.RefreshCount,
            remoteTokenRefreshCount = cloud.RemoteTokenRefreshCount,
            vehicles = cloud.CallCount("/user/vehicles"),
            status = cloud.CallCount("/user/vehicles/{id}/status"),
            lastPosition = cloud.CallCount("/user/vehicles/{id}/lastPosition"),
            published = cloud.Published.Count,
            brokerConnectAttempts = cloud.BrokerConnectAttempts,
        }));
        control.MapGet("/published", () => TypedResults.Ok(cloud.Published.Select(p => new
        {
            topic = p.Topic,
            service = p.Service,
            receivedAt = p.ReceivedAt,
            correlationId = p.Envelope is { } envelope && envelope.TryGetProperty("correlation_id", out var id) ? id.ToString() : null,
            vin = p.Envelope is { } e && e.TryGetProperty("vin", out var vin) ? vin.ToString() : null,
            parameters = p.Envelope is { } env && env.TryGetProperty("req_parameters", out var parameters) ? parameters : (object?)null,
        })));
    }

    private static IResult OnCar(PsaCloud cloud, string vin, Func<IResult> action) =>
        cloud.FindByVin(vin) is null ? Results.NotFound($"No simulated PSA car has VIN {vin}.") : action();

    private static IResult Done(Action action)
    {
        action();
        return Results.NoContent();
    }
}
