using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EvGateway.Simulator.Renault;

/// <summary>The error answers of Kamereon, in the envelopes recorded from the real cloud (reference/renault/kamereon/error).</summary>
internal static class KamereonErrors
{
    public const string BadGatewayHtml = """
        <html>
          <head>
            <title>502 Bad Gateway</title>
          </head>
          <body>
            <center>
              <h1>502 Bad Gateway</h1>
            </center>
          </body>
        </html>
        """;

    /// <summary>A rejected apikey: the cloud's API gateway answers before Kamereon, in its own short shape.</summary>
    public static IResult AccessDenied() =>
        Json(StatusCodes.Status403Forbidden, new JsonObject { ["error"] = "access_denied", ["error_description"] = "Unauthorized" });

    /// <summary>A missing, forged or expired id_token (and the obsolete x-kamereon-authorization header).</summary>
    public static IResult Unauthorized() =>
        Json(StatusCodes.Status401Unauthorized, Envelope("FUNCTIONAL", "err.func.wired.unauthorized", "The access is unauthorized"));

    public static IResult BadRequest(string code, string detail, string pointer) =>
        Json(StatusCodes.Status400BadRequest, Envelope("FUNCTIONAL", "err.func.400",
            new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["status"] = "400",
                    ["code"] = code,
                    ["detail"] = detail,
                    ["source"] = new JsonObject { ["pointer"] = pointer },
                }),
            }.ToJsonString()));

    public static IResult Forbidden() =>
        Json(StatusCodes.Status403Forbidden, Envelope("FUNCTIONAL", "err.func.wired.forbidden", "The access is forbidden"));

    public static IResult NotFound() =>
        Json(StatusCodes.Status404NotFound, Envelope("FUNCTIONAL", "err.func.wired.notFound", "Resource not found"));

    public static IResult NotSupported() =>
        Json(StatusCodes.Status501NotImplemented, Envelope("TECHNICAL", "err.tech.501",
            """{"errors":[{"status":"501","code":"error.internal","detail":"This feature is not technically supported by this gateway"}]}"""));

    public static IResult QuotaExceeded()
    {
        var body = Envelope("FUNCTIONAL", "err.func.wired.overloaded", "You have reached your quota limit", errorType: "functional");
        body.Remove("error_reference");
        return Json(StatusCodes.Status429TooManyRequests, body);
    }

    public static IResult ServerError() =>
        Json(StatusCodes.Status500InternalServerError, Envelope("TECHNICAL", "err.tech.500",
            """{"errors":[{"status":"500","code":"error.internal","detail":"Internal Server Error"}]}"""));

    public static IResult BadGateway() =>
        Results.Content(BadGatewayHtml, "text/html", statusCode: StatusCodes.Status502BadGateway);

    public static IResult Missing(MissingOperationAnswer answer) => answer switch
    {
        MissingOperationAnswer.Forbidden => Forbidden(),
        MissingOperationAnswer.NotSupported => NotSupported(),
        _ => NotFound(),
    };

    private static JsonObject Envelope(string type, string code, string message, string? errorType = null)
    {
        var error = new JsonObject { ["errorCode"] = code, ["errorMessage"] = message };
        if (errorType is not null)
        {
            error["errorType"] = errorType;
        }

        return new JsonObject
        {
            ["type"] = type,
            ["messages"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }),
            ["errors"] = new JsonArray(error),
            ["error_reference"] = type,
        };
    }

    private static IResult Json(int status, JsonObject body) =>
        Results.Content(body.ToJsonString(), "application/json", statusCode: status);
}
