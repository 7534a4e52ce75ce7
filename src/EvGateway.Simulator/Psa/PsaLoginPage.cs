using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace EvGateway.Simulator.Psa;

/// <summary>
/// The browser login of psa.md §1b: the brand's authorize endpoint as a plain login page for the demo owner, which
/// on the right e-mail and password sends the browser to the app's own scheme with a code (as the real page does after
/// its last "Continue"); the exchange of that code at the token endpoint; and car-associations, where the customer id
/// is read afterwards.
/// </summary>
internal static class PsaLoginPage
{
    /// <summary>The Peugeot app's scheme: the only redirect URIs registered for the demo client are mymap://oauth2redirect/cc.</summary>
    private const string AppScheme = "mymap";

    private static readonly string[] OAuthParameters =
        ["client_id", "response_type", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "locale"];

    public static void Map(IEndpointRouteBuilder endpoints, PsaCloud cloud)
    {
        var authorize = cloud.AuthorizeUrl.AbsolutePath;
        endpoints.MapGet(authorize, (HttpRequest request) =>
            Authorize(cloud, request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal), login: null));
        endpoints.MapPost(authorize, async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
            return Authorize(cloud, fields, (fields.GetValueOrDefault("email") ?? "", fields.GetValueOrDefault("password") ?? ""));
        });
        endpoints.MapGet(cloud.CarAssociationsUrl.AbsolutePath, (HttpRequest request) =>
            PsaHttpApi.Refusal(request, cloud, realmRequired: true) ?? PsaHttpApi.Hal(CarAssociations(cloud)));
    }

    /// <summary>The token endpoint's authorization_code grant (the client is already authenticated as the demo app).</summary>
    public static IResult ExchangeCode(IReadOnlyDictionary<string, string> form, PsaCloud cloud) =>
        cloud.AuthorizationCodes.Redeem(form.GetValueOrDefault("code"), PsaCloud.DemoClientId, form.GetValueOrDefault("redirect_uri"),
            form.GetValueOrDefault("code_verifier"))
            ? PsaHttpApi.Json(PsaDocuments.OAuthTokens(cloud.Identity.StartSession()))
            : PsaHttpApi.Json(PsaDocuments.OAuthError("invalid_grant", "grant is invalid"), StatusCodes.Status400BadRequest);

    private static IResult Authorize(PsaCloud cloud, Dictionary<string, string> parameters, (string Email, string Password)? login)
    {
        // A bad client or redirect URI is shown, never redirected to: the server cannot trust where it would send the code.
        if (parameters.GetValueOrDefault("client_id") != PsaCloud.DemoClientId)
        {
            return ErrorPage("This client_id is not registered.");
        }

        var redirectUri = parameters.GetValueOrDefault("redirect_uri") ?? "";
        if (!IsRegisteredRedirectUri(redirectUri))
        {
            return ErrorPage("This redirect_uri is not registered for the client.");
        }

        var state = parameters.GetValueOrDefault("state");
        var challenge = parameters.GetValueOrDefault("code_challenge");
        var method = parameters.GetValueOrDefault("code_challenge_method");
        if (parameters.GetValueOrDefault("response_type") != "code")
        {
            return RedirectToApp(redirectUri, state, ("error", "unsupported_response_type"));
        }

        if (!(parameters.GetValueOrDefault("scope") ?? "").Split(' ').Contains("openid"))
        {
            return RedirectToApp(redirectUri, state, ("error", "invalid_scope"));
        }

        if (challenge is null ? method is not null : method != "S256" || !PsaAuthorizationCodes.IsChallenge(challenge))
        {
            return RedirectToApp(redirectUri, state, ("error", "invalid_request"));
        }

        if (login is not { } credentials)
        {
            return LoginForm(parameters, email: "", error: null);
        }

        if (!string.Equals(credentials.Email.Trim(), PsaCloud.DemoOwnerEmail, StringComparison.OrdinalIgnoreCase)
            || !BearerTokenStore.SameSecret(credentials.Password, PsaCloud.DemoOwnerPassword))
        {
            return LoginForm(parameters, credentials.Email, "Wrong e-mail address or password.");
        }

        return RedirectToApp(redirectUri, state, ("code", cloud.AuthorizationCodes.Issue(PsaCloud.DemoClientId, redirectUri, challenge)));
    }

    private static bool IsRegisteredRedirectUri(string uri)
    {
        const string prefix = AppScheme + "://oauth2redirect/";
        return uri.StartsWith(prefix, StringComparison.Ordinal) && uri.Length == prefix.Length + 2
               && uri[prefix.Length..].All(char.IsAsciiLetterLower);
    }

    private static IResult RedirectToApp(string redirectUri, string? state, (string Name, string Value) result)
    {
        var query = new Dictionary<string, string?> { [result.Name] = result.Value };
        if (state is not null)
        {
            query["state"] = state;
        }

        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, query));
    }

    private static IResult LoginForm(Dictionary<string, string> parameters, string email, string? error)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>EvGateway simulator - MyPeugeot login</title></head><body>");
        html.Append("<p><strong>EvGateway simulator:</strong> this is not the real MyPeugeot login page. The demo owner is ")
            .Append(Encode(PsaCloud.DemoOwnerEmail)).Append(" with the password ").Append(Encode(PsaCloud.DemoOwnerPassword)).Append(".</p>");
        html.Append("<h1>Log in to MyPeugeot</h1>");
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(Encode(error)).Append("</p>");
        }

        html.Append("<form method=\"post\">");
        foreach (var name in OAuthParameters.Where(parameters.ContainsKey))
        {
            html.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(Encode(parameters[name])).Append("\">");
        }

        html.Append("<label>E-mail <input type=\"email\" name=\"email\" value=\"").Append(Encode(email)).Append("\" required></label>");
        html.Append("<label>Password <input type=\"password\" name=\"password\" required></label>");
        html.Append("<button type=\"submit\">Continue</button></form></body></html>");
        return Results.Content(html.ToString(), "text/html", Encoding.UTF8);
    }

    private static IResult ErrorPage(string message) => Results.Content(
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>EvGateway simulator - login error</title></head><body><h1>Login error</h1><p>{Encode(message)}</p></body></html>",
        "text/html", Encoding.UTF8, StatusCodes.Status400BadRequest);

    private static JsonArray CarAssociations(PsaCloud cloud) =>
        new(cloud.Vehicles.Select(vehicle => (JsonNode)new JsonObject { ["customer"] = PsaCloud.DemoCustomerId, ["vin"] = vehicle.Vin }).ToArray());

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
