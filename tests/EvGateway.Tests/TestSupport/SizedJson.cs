using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text.Json;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// A JSON body with a Content-Length, for tests that play a client of the simulated clouds: like the makers' API
/// gateways, they answer 411 to the chunked body JsonContent sends.
/// </summary>
internal static class SizedJson
{
    public static ByteArrayContent Create<T>(T value) => new(JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web))
    {
        Headers = { ContentType = new MediaTypeHeaderValue(MediaTypeNames.Application.Json) },
    };
}
