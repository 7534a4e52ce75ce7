using System.Text.Json.Nodes;

namespace EvGateway.Bench;

/// <summary>
/// The ceiling: the cheapest Kestrel app that answers the same JSON documents the gateway answers, serialised per
/// request as the gateway does, with the template's defaults (nothing tuned in its favour or against it).
/// </summary>
internal static class BareApp
{
    public const string Flag = "--bare";

    public static void Run(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args.Where(a => a != Flag).ToArray());
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var legacy = JsonNode.Parse(File.ReadAllText(Environment.GetEnvironmentVariable("BENCH_LEGACY_JSON")!))!;
        var status = JsonNode.Parse(File.ReadAllText(Environment.GetEnvironmentVariable("BENCH_STATUS_JSON")!))!;
        app.MapGet("/health/live", () => "Healthy");
        app.MapGet("/get_vehicleinfo/{vin}", (string vin) => Results.Json(legacy));
        app.MapGet("/api/vehicles/{vin}/status", (string vin) => Results.Json(status));
        app.Run();
    }
}
