using System.Text.Json.Serialization;

namespace EvGateway.Vehicles.Budget;

/// <summary>When a car is refreshed without anyone asking (the evcc names, as the settings and the REST surface spell them).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RefreshPolicy>))]
public enum RefreshPolicy
{
    /// <summary>Often while charging, rarely otherwise.</summary>
    [JsonStringEnumMemberName("charging")] Charging,

    /// <summary>Often while plugged in (charging or not), rarely otherwise. The default.</summary>
    [JsonStringEnumMemberName("connected")] Connected,

    /// <summary>Often, whatever the car does.</summary>
    [JsonStringEnumMemberName("always")] Always,

    /// <summary>
    /// Never in the background; reads reach the cloud when a caller's maxAge asks for it, limited by the call budget
    /// alone (the owner's scripts decide).
    /// </summary>
    [JsonStringEnumMemberName("never")] Never,
}
