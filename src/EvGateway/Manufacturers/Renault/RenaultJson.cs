using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvGateway.Manufacturers.Renault;

/// <summary>How Gigya and Kamereon JSON reads: camelCase, numbers sometimes quoted, absent values left out.</summary>
internal static class RenaultJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
