using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EvGateway.Simulator.Abrp;

/// <summary>
/// A Better Route Planner's live-telemetry endpoint (Iternio's <c>1/tlm/send</c>): the app's API key in an
/// <c>Authorization: APIKEY …</c> header (or <c>api_key</c>), the car's user token and the <c>tlm</c> JSON in the
/// form body (or the query). It answers <c>{"status":"ok"}</c>, and refuses what the real one refuses: no or an unknown
/// API key (401), an unknown user token, a reading without <c>utc</c> and <c>soc</c>.
/// </summary>
public sealed class AbrpTelemetryApi
{
    public const string SendPath = "/abrp/1/tlm/send";

    /// <summary>The API key issued to the gateway in the simulation.</summary>
    public const string ApiKey = "sim-abrp-api-key";

    /// <summary>A user token as ABRP's app shows it for one car's live data.</summary>
    public const string DemoUserToken = "5c1b7b9e-1f0a-4c55-9d1e-7a6c3b2f0e41";

    private readonly ConcurrentDictionary<string, bool> tokens = new(StringComparer.Ordinal) { [DemoUserToken] = true };
    private readonly ConcurrentQueue<AbrpReading> received = new();

    /// <summary>The address of the endpoint under a simulator's base address.</summary>
    public static Uri UrlFor(Uri baseAddress) => new(baseAddress, SendPath.TrimStart('/'));

    /// <summary>Every reading accepted, in order.</summary>
    public IReadOnlyList<AbrpReading> Received => received.ToArray();

    /// <summary>Makes another user token valid (a second car in ABRP).</summary>
    public void AddUserToken(string token) => tokens[token] = true;

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost(SendPath, SendAsync);

    private async Task<IResult> SendAsync(HttpRequest request)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        string? Read(string name) => form?[name].FirstOrDefault() ?? request.Query[name].FirstOrDefault();

        var header = request.Headers.Authorization.FirstOrDefault();
        var apiKey = header is not null && header.StartsWith("APIKEY ", StringComparison.Ordinal) ? header["APIKEY ".Length..] : Read("api_key");
        if (apiKey != ApiKey)
        {
            return Results.Json(new { status = "error", error = "Invalid or missing API key" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        var token = Read("token");
        if (token is null || !tokens.ContainsKey(token))
        {
            return Results.Json(new { status = "error", error = "Unknown user token" });
        }

        JsonElement tlm;
        try
        {
            tlm = JsonDocument.Parse(Read("tlm") ?? "").RootElement;
        }
        catch (JsonException)
        {
            return Results.Json(new { status = "error", error = "tlm is not JSON" }, statusCode: StatusCodes.Status400BadRequest);
        }

        if (tlm.ValueKind != JsonValueKind.Object || !tlm.TryGetProperty("utc", out var utc) || !utc.TryGetInt64(out _)
            || !tlm.TryGetProperty("soc", out var soc) || soc.ValueKind != JsonValueKind.Number)
        {
            return Results.Json(new { status = "error", error = "tlm needs utc and soc" }, statusCode: StatusCodes.Status400BadRequest);
        }

        received.Enqueue(new AbrpReading(token, tlm.Clone()));
        return Results.Json(new { status = "ok" });
    }
}

/// <summary>One reading ABRP accepted: the car's user token and the telemetry JSON.</summary>
public sealed record AbrpReading(string Token, JsonElement Telemetry);
