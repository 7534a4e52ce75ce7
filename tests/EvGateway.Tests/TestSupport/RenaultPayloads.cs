using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using EvGateway.Manufacturers.Renault;
using Refit;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// Recorded Kamereon answers (MIT, renault-api; see Manufacturers/Renault/Payloads/LICENSE-renault-api.txt), read from
/// the source tree beside the Renault adapter tests.
/// </summary>
internal static class RenaultPayloads
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory(), "..", "Manufacturers", "Renault", "Payloads", name));

    public static T Read<T>(string name) =>
        JsonSerializer.Deserialize<T>(Text(name), RenaultJson.Options) ?? throw new InvalidDataException($"{name} is empty.");

    /// <summary>The exception Refit throws when Kamereon answers <paramref name="status"/> with the payload as body.</summary>
    public static async Task<ApiException> AsApiException(HttpStatusCode status, string name)
    {
        var body = Text(name);
        var mediaType = name.EndsWith(".html", StringComparison.Ordinal) ? "text/html" : "application/json";
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://kamereon.test/cars/VF1AAAAA555777999/battery-status");
        using var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType), RequestMessage = request };
        return await ApiException.Create(request, HttpMethod.Get, response, new RefitSettings());
    }

    private static string Directory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;
}
