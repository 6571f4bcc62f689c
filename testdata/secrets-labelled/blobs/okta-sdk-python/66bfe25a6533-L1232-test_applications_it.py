        })
        app_settings = models.BookmarkApplicationSettings({
            "app": app_settings_app
        })
        bookmark_app_obj = models.BookmarkApplication({
            "label": APP_LABEL,
            "settings": app_settings
        })

        # Create App in org
        app, _, err = await client.create_application(bookmark_app_obj)
        assert err is None
        assert isinstance(app, models.Application)
        assert isinstance(app, models.BookmarkApplication)

        # List app keys
        app_keys, _, err = await client.list_application_keys(app.id)
        assert err is None
        assert len(app_keys) == 1

        # Get default key
        default_key = app_keys[0]

        # Find key and verify details
        found_key, _, err = await \
            client.get_application_key(app.id, default_key.kid)
        assert err is None
        assert found_key.kid == default_key.kid
        assert found_key.created == default_key.created
        assert found_key.expires_at == default_key.expires_at
        assert found_key.x_5_c == default_key.x_5_c

        _, err = await client.deactivate_application(app.id)
        assert err is None
        _, err = await client.delete_application(app.id)
        assert err is None

    @pytest.mark.vcr()
    @pytest.mark.asyncio
    async def test_generate_app_key(self, fs):
        # Instantiate Mock Client
        client = MockOktaClient()

        # Create Bookmark Application Object
        APP_URL = "https://example.com/bookmark.htm"
        APP_LABEL = "AddBookmarkApp"
        app_settings_app = models.BookmarkApplicationSettingsApplication({
            "requestIntegration": False,
            "url": APP_URL
        })
        app_settings = models.BookmarkApplicationSettings({
            "app": app_settings_app
        })
        bookmark_app_obj = models.BookmarkApplication({
            "label": APP_LABEL,
            "settings": app_settings
        })

        # Create App in org
        app, _, err = await client.create_application(bookmark_app_obj)
        assert err is None
