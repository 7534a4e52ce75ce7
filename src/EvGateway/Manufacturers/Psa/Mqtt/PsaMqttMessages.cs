using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EvGateway.Manufacturers.Psa.Mqtt;

// The broker speaks snake_case JSON (psa.md §3, reference/psa/mqtt.*.json).

internal static class PsaMqttJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static T? TryRead<T>(string payload)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What the gateway publishes to `psa/RemoteServices/from/cid/&lt;customer_id&gt;/&lt;service&gt;`.</summary>
internal sealed record PsaRemoteRequest(
    string AccessToken,
    string CustomerId,
    string CorrelationId,
    string ReqDate,
    string Vin,
    JsonObject ReqParameters)
{
    // The envelope carries the remote token: it must never reach a log through a record's generated ToString.
    public override string ToString() => $"{nameof(PsaRemoteRequest)} {{ CorrelationId = {CorrelationId}, Vin = {Vin} }}";
}

/// <summary>The broker's answer on `psa/RemoteServices/to/cid/&lt;customer_id&gt;/&lt;service&gt;`.</summary>
internal sealed record PsaRemoteReply(string? CorrelationId, string? ReturnCode, string? ProcessCode, string? Reason, string? Vin);

/// <summary>A status push on `psa/RemoteServices/events/MPHRTServices/&lt;VIN&gt;`.</summary>
internal sealed record PsaCarEvent(string? Vin, DateTimeOffset? Date, PsaEventChargingState? ChargingState, PsaEventEnergyLevel? EnergyLevel);

internal sealed record PsaEventChargingState(
    string? Type,
    int? RemainingTime,
    double? Rate,
    string? NextDelayedTime,
    string? Status,
    bool? Plugged);

internal sealed record PsaEventEnergyLevel(double? Level, double? Autonomy);
