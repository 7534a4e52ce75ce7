using System.Text.Json.Serialization;

namespace EvGateway.Vehicles.Accounts;

[JsonConverter(typeof(JsonStringEnumConverter<RemoteCommandsState>))]
public enum RemoteCommandsState
{
    [JsonStringEnumMemberName("paired")] Paired,
    [JsonStringEnumMemberName("pairing_required")] PairingRequired,
}
