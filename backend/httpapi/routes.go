package httpapi

import "github.com/strategieraum/strategieraum/backend/consult"

// routes lists every route of the server. openapi.yaml documents exactly
// these; TestOpenAPIMatchesRoutes keeps the two in step.
func (s *Server) routes() {
	e := s.echo

	// Operations.
	e.GET("/healthz", s.handleHealth)
	e.GET("/readyz", s.handleReady)
	e.GET("/metrics", s.handleMetrics)
	e.GET("/api/openapi.yaml", s.handleOpenAPI)

	// Sessions, the current user and personal tokens.
	e.POST("/api/session", s.handleLogin)
	e.GET("/api/auth/config", s.handleAuthConfig)
	e.GET("/api/legal/:page", s.handleLegal)
	e.GET("/api/auth/oidc/login", s.handleOIDCLogin)
	e.GET("/api/auth/oidc/callback", s.handleOIDCCallback)
	e.DELETE("/api/session", s.handleLogout)
	e.GET("/api/me", s.handleMe)
	e.GET("/api/me/sessions", s.handleListSessions)
	e.DELETE("/api/me/sessions/:id", s.handleEndSession)
	e.GET("/api/tokens", s.handleListTokens)
	e.POST("/api/tokens", s.handleCreateToken)
	e.DELETE("/api/tokens/:id", s.handleDeleteToken)

	// The TOTP second factor (secondfactor*.go).
	e.POST("/api/session/second-factor", s.handleSecondFactorLogin)
	e.GET("/api/me/second-factor", s.handleSecondFactorStatus)
	e.POST("/api/me/second-factor", s.handleBeginTOTP)
	e.POST("/api/me/second-factor/confirm", s.handleConfirmTOTP)
	e.POST("/api/me/second-factor/recovery-codes", s.handleRenewRecoveryCodes)
	e.POST("/api/me/second-factor/disable", s.handleDisableTOTP)
	e.POST("/api/users/:id/second-factor/reset", s.handleResetSecondFactor)

	// Reading strategies.
	e.GET("/api/organisations", s.handleListOrganisations)
	e.GET("/api/strategies", s.handleListStrategies)
	e.GET("/api/strategies/:id", s.handleGetStrategy)
	e.GET("/api/strategies/:id/sections", s.handleListSections)
	e.GET("/api/sections/:id", s.handleGetSection)
	e.GET("/api/strategies/:id/document", s.handleStrategyDocument)

	// Structure (administration; backend/structure).
	e.POST("/api/strategies", s.handleCreateStrategy)
	e.PATCH("/api/strategies/:id", s.handleUpdateStrategy)
	e.POST("/api/strategies/:id/sections", s.handleCreateSection)
	e.PUT("/api/strategies/:id/sections/order", s.handleReorderSections)
	e.PATCH("/api/sections/:id", s.handleUpdateSection)
	e.DELETE("/api/sections/:id", s.handleDeleteSection)
	e.POST("/api/strategies/:id/topics", s.handleCreateTopic)
	e.PATCH("/api/topics/:id", s.handleUpdateTopic)
	e.DELETE("/api/topics/:id", s.handleDeleteTopic)
	e.POST("/api/strategies/:id/phases", s.handleCreatePhase)
	e.PATCH("/api/strategies/:id/phases/:phase", s.handleChangePhaseTimes())
	e.GET("/api/sections/:id/versions", s.handleNamedVersions())
	e.POST("/api/sections/:id/versions", s.handleFreezeVersion())
	e.GET("/api/sections/:id/synopse", s.handleSectionSynopse)
	e.POST(importPath, s.handleImport) // import.go

	// History of a section's text.
	e.GET("/api/sections/:id/history", s.handleHistory)
	e.GET("/api/sections/:id/text", s.handleTextAt)
	e.POST("/api/sections/:id/restore", s.handleRestore)

	// User administration.
	e.GET("/api/users", s.handleListUsers)
	e.POST("/api/users", s.handleCreateUser)
	e.PATCH("/api/users/:id", s.handleUpdateUser)
	e.DELETE("/api/users/:id", s.handleDeleteUser)

	// Passwords: one's own, and one-time reset codes.
	e.PUT("/api/me/password", s.handleChangePassword)
	e.GET("/api/me/mail-preferences", s.handleGetMailPreferences)
	e.PUT("/api/me/mail-preferences", s.handlePutMailPreferences)
	e.PUT("/api/me/language", s.handlePutLanguage)
	e.POST("/api/users/:id/password-reset", s.handleIssueReset)
	e.POST("/api/password-reset", s.handleRedeemReset)

	// The consultation: threads, proposals, moderation, statements,
	// notifications, audit log and report (consult_*.go).
	e.GET("/api/sections/:id/threads", s.handleListThreads())
	e.POST("/api/sections/:id/threads", s.handleCreateThread())
	e.GET("/api/threads/:id", s.handleGetThread())
	e.POST("/api/threads/:id/comments", s.handleReply())
	e.POST("/api/threads/:id/accept", s.handleAccept())
	e.POST("/api/threads/:id/reject", s.handleThreadReason((*consult.Service).Reject))
	e.POST("/api/threads/:id/resolve", s.handleThreadNote((*consult.Service).Resolve))
	e.POST("/api/threads/:id/reopen", s.handleThreadNote((*consult.Service).Reopen))
	e.POST("/api/threads/:id/hide", s.handleThreadReason((*consult.Service).HideThread))
	e.PATCH("/api/comments/:id", s.handleEditComment())
	e.POST("/api/comments/:id/hide", s.handleHideComment())
	e.POST("/api/comments/:id/reports", s.handleReportComment())
	e.GET("/api/reports", s.handleReportQueue)
	e.POST("/api/reports/:id/dismiss", s.handleDismissReport())
	e.GET("/api/strategies/:id/threads", s.handleStrategyThreads)
	e.GET("/api/strategies/:id/search", s.handleSearch)
	e.GET("/api/strategies/:id/statements", s.handleListStatements())
	e.GET("/api/strategies/:id/statements/:org", s.handleGetStatement())
	e.GET("/api/strategies/:id/statements/:org/versions", s.handleStatementVersions())
	e.GET("/api/strategies/:id/statements/:org/versions/:version/receipt", s.handleStatementReceipt())
	e.PUT("/api/strategies/:id/statement", s.handleSaveStatement())
	e.POST("/api/strategies/:id/statement/submit", s.handleSubmitStatement())
	e.GET("/api/notifications", s.handleListNotifications)
	e.GET("/api/notifications/unread", s.handleUnreadCount)
	e.POST("/api/notifications/read", s.handleMarkRead)
	e.GET("/api/audit", s.handleListAudit)
	e.GET("/api/audit/export", s.handleExportAudit)
	e.GET("/api/audit/actors", s.handleAuditActors)
	e.GET("/api/strategies/:id/report", s.handleReport)
	e.GET("/api/strategies/:id/report/xlsx", s.handleReportDownload("xlsx"))
	e.GET("/api/strategies/:id/report/csv", s.handleReportDownload("csv"))
	e.GET("/api/strategies/:id/report/html", s.handleReportDownload("html"))
	e.GET("/api/strategies/:id/report/document", s.handleReportDocument)

	// The Abwägung of a round and Mitzeichnungen (abwaegung.go).
	e.GET("/api/strategies/:id/abwaegung", s.handleAbwaegung)
	e.GET("/api/strategies/:id/abwaegung/xlsx", s.handleAbwaegungXLSX)
	e.GET("/api/strategies/:id/abwaegung/document", s.handleAbwaegungDocument)
	e.POST("/api/strategies/:id/abwaegung/publish", s.handlePublishAbwaegung())
	e.GET("/api/strategies/:id/abwaegung/labels", s.handleAbwaegungLabels())
	e.PUT("/api/strategies/:id/abwaegung/labels", s.handleSaveAbwaegungLabels())
	e.POST("/api/strategies/:id/statement-points", s.handleAddPoint())
	e.DELETE("/api/strategies/:id/statement-points/:point", s.handleDeletePoint())
	e.PUT("/api/strategies/:id/statement-points/:point/assessment", s.handleAssessPoint())
	e.PUT("/api/threads/:id/assessment", s.handleAssessThread())
	e.POST("/api/threads/:id/cosign", s.handleCosign(true))
	e.DELETE("/api/threads/:id/cosign", s.handleCosign(false))

	// Beschlüsse of the IT-Planungsrat (beschluss.go).
	e.GET("/api/strategies/:id/beschluesse", s.handleListBeschluesse())
	e.POST("/api/strategies/:id/beschluesse", s.handleCreateBeschluss())
	e.GET("/api/beschluesse/:id", s.handleGetBeschluss())
	e.POST("/api/beschluesse/:id/votes", s.handleVote())
	e.POST("/api/beschluesse/:id/recorded-votes", s.handleRecordVote())
	e.POST("/api/beschluesse/:id/close", s.handleCloseBeschluss())
	e.GET("/api/beschluesse/:id/document", s.handleBeschlussDocument)
	e.GET("/api/sections/:id/beschluesse", s.handleSectionBeschluesse())
	e.GET("/api/koenigsteiner", s.handleListKeys)
	e.PUT("/api/koenigsteiner/:year", s.handleSaveKey)

	// Live editing.
	e.GET("/api/ws", s.handleLive)

	// Unknown API paths are problems; everything else is the frontend.
	e.RouteNotFound("/api", s.handleAPINotFound)
	e.RouteNotFound("/api/*", s.handleAPINotFound)
	e.GET("/*", s.handleFrontend)
	e.HEAD("/*", s.handleFrontend)
}

// Route is one registered method and path template (echo syntax, ":id").
type Route struct {
	Method string
	Path   string
}

// Routes lists the registered routes, for documentation checks.
func (s *Server) Routes() []Route {
	var out []Route
	for _, r := range s.echo.Routes() {
		out = append(out, Route{Method: r.Method, Path: r.Path})
	}
	return out
}
