using System.Net;
using System.Net.Http.Headers;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// Adds what every connected-car call needs (Bearer token, realm header, client_id query, HAL Accept). A 401 means the
/// token died early: refresh once and replay once; a second 401 goes back to the caller.
/// </summary>
internal sealed class PsaAuthHandler(PsaTokenProvider tokens, PsaAccount account) : DelegatingHandler
{
    private static readonly MediaTypeWithQualityHeaderValue Hal = new("application/hal+json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = account.Client;
        request.RequestUri = WithClientId(request.RequestUri!, client.ClientId);
        request.Headers.Remove("x-introspect-realm");
        request.Headers.Add("x-introspect-realm", client.Realm);
        if (!request.Headers.Accept.Contains(Hal))
        {
            request.Headers.Accept.Add(Hal);
        }

        var token = await tokens.GetAccessTokenAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        var renewed = await tokens.RenewAsync(token, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed);
        return await base.SendAsync(request, cancellationToken);
    }

    private static Uri WithClientId(Uri uri, string clientId)
    {
        if (uri.Query.Contains("client_id=", StringComparison.Ordinal))
        {
            return uri;
        }

        var builder = new UriBuilder(uri);
        var clientIdParameter = $"client_id={Uri.EscapeDataString(clientId)}";
        builder.Query = string.IsNullOrEmpty(builder.Query) ? clientIdParameter : $"{builder.Query.TrimStart('?')}&{clientIdParameter}";
        return builder.Uri;
    }
}
