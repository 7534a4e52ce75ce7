using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// Signs every Kamereon request with the app's API key and the current Gigya JWT. A 401 means the JWT expired early
/// (or was revoked): the handler drops it, fetches a new one and replays the request once.
/// </summary>
internal sealed class KamereonAuthHandler(RenaultTokenProvider tokens, IOptionsMonitor<RenaultOptions> options) : DelegatingHandler
{
    private const string JsonApiMediaType = "application/vnd.api+json";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove("apikey");
        request.Headers.TryAddWithoutValidation("apikey", options.CurrentValue.KamereonApiKey);
        if (request.Content is not null)
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(JsonApiMediaType);
            // Buffered so the body can be sent a second time after a 401.
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        var jwt = await tokens.GetJwtAsync(cancellationToken);
        SetJwt(request, jwt);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        tokens.Invalidate(jwt);
        SetJwt(request, await tokens.GetJwtAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }

    private static void SetJwt(HttpRequestMessage request, string jwt)
    {
        request.Headers.Remove("x-gigya-id_token");
        request.Headers.TryAddWithoutValidation("x-gigya-id_token", jwt);
    }
}
