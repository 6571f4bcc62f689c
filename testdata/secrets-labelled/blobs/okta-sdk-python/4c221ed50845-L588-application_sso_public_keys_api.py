        )




    @validate_call
    async def create_o_auth2_client_secret(
        self,
        app_id: Annotated[StrictStr, Field(description="Application ID")],
        o_auth2_client_secret_request_body: Optional[OAuth2ClientSecretRequestBody] = None,
        _request_timeout: Union[
            None,
            Annotated[StrictFloat, Field(gt=0)],
            Tuple[
                Annotated[StrictFloat, Field(gt=0)],
                Annotated[StrictFloat, Field(gt=0)]
            ]
        ] = None,
        _request_auth: Optional[Dict[StrictStr, Any]] = None,
        _content_type: Optional[StrictStr] = None,
        _headers: Optional[Dict[StrictStr, Any]] = None,
        _host_index: Annotated[StrictInt, Field(ge=0, le=0)] = 0,
    ) -> OAuth2ClientSecret:
        """Create an OAuth 2.0 client secret

        Creates an OAuth 2.0 Client Secret object with a new active client secret. You can create up to two Secret objects. An error is returned if you attempt to create more than two Secret objects. > **Note:** This API lets you bring your own secret. If [token_endpoint_auth_method](/openapi/okta-management/management/tag/Application/#tag/Application/operation/createApplication!path=4/credentials/oauthClient/token_endpoint_auth_method&t=request) of the app is `client_secret_jwt`, then the minimum length of `client_secret` is 32 characters. If no secret is specified in the request, Okta adds a new system-generated secret.

        :param app_id: Application ID (required)
        :type app_id: str
        :param o_auth2_client_secret_request_body:
        :type o_auth2_client_secret_request_body: OAuth2ClientSecretRequestBody
        :param _request_timeout: timeout setting for this request. If one
                                 number provided, it will be total request
                                 timeout. It can also be a pair (tuple) of
                                 (connection, read) timeouts.
        :type _request_timeout: int, tuple(int, int), optional
        :param _request_auth: set to override the auth_settings for an a single
                              request; this effectively ignores the
                              authentication in the spec for a single request.
        :type _request_auth: dict, optional
        :param _content_type: force content-type for the request.
        :type _content_type: str, Optional
        :param _headers: set to override the headers for a single
                         request; this effectively ignores the headers
                         in the spec for a single request.
        :type _headers: dict, optional
        :param _host_index: set to override the host_index for a single
                            request; this effectively ignores the host_index
                            in the spec for a single request.
        :type _host_index: int, optional
        :return: Returns the result object.
        """ # noqa: E501

        _response_types_map: Dict[str, Optional[str]] = {
            '201': "OAuth2ClientSecret",
            '400': "Error",
            '401': "Error",
            '403': "Error",
            '429': "Error",
        }

        method, url, header_params, body, post_params = self._create_o_auth2_client_secret_serialize(
            app_id=app_id,
            o_auth2_client_secret_request_body=o_auth2_client_secret_request_body,
            _request_auth=_request_auth,
            _content_type=_content_type,
            _headers=_headers,
            _host_index=_host_index
        )

        form = {}
        keep_empty_params = False

        request, error = await self._request_executor.create_request(
            method, url, body, header_params, form, keep_empty_params=keep_empty_params
        )

        if error:
            if OAuth2ClientSecret is Success:
                return (None, error)
            else:
                return (None, None, error)

        if OAuth2ClientSecret is Success:
            response, response_body, error = await self._request_executor.execute(request)
        else:
            response, response_body, error = await self._request_executor.execute(request, OAuth2ClientSecret)

        if response_body == '' or response.status == 204:
            response_data = RESTResponse(response)
            resp = ApiResponse(
                status_code=response_data.status,
                data=None,
                headers=response_data.getheaders(),
