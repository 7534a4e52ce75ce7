using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace EvGateway.Vehicles;

/// <summary>
/// Serialises a status to its REST body once and reuses the bytes while the status and its charge control are
/// unchanged: home automation polls the same cached status many times a minute, and serialising it again was the
/// largest cost of such a read.
/// </summary>
public sealed class StatusBodies(IOptions<JsonOptions> json)
{
    private readonly ConditionalWeakTable<VehicleStatus, Rendered> rendered = new();

    /// <summary>The body of <c>GET /api/vehicles/{vin}/status</c>: the status with the car's charge control.</summary>
    public IResult Render(VehicleStatus status, ChargeControlSummary? chargeControl)
    {
        if (!rendered.TryGetValue(status, out var last) || last.ChargeControl != chargeControl)
        {
            var body = chargeControl is null ? status : status with { ChargeControl = chargeControl };
            last = new Rendered(chargeControl, new RenderedJson(JsonSerializer.SerializeToUtf8Bytes(body, json.Value.SerializerOptions), "application/json; charset=utf-8"));
            rendered.AddOrUpdate(status, last);
        }

        return last.Answer;
    }

    private sealed record Rendered(ChargeControlSummary? ChargeControl, RenderedJson Answer);
}
