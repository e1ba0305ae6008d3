{{- define "kapas.name" -}}{{ .Release.Name }}-kapas{{- end -}}
{{- define "kapas.labels" -}}
app.kubernetes.io/name: kapas
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}
{{- define "kapas.selector" -}}
app.kubernetes.io/name: kapas
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{- define "kapas.service" -}}{{ include "kapas.name" . }}.{{ .Release.Namespace }}.svc{{- end -}}
{{- define "kapas.rulesConfigMap" -}}
{{- if .Values.customRules.existingConfigMap -}}{{ .Values.customRules.existingConfigMap }}
{{- else if .Values.customRules.files -}}{{ include "kapas.name" . }}-rules
{{- end -}}
{{- end -}}
