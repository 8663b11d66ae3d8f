{{/* Names: the release's full name, trimmed to a DNS label. */}}
{{- define "giantvm-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "giantvm-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "giantvm-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "giantvm-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "giantvm-operator.labels" -}}
{{ include "giantvm-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* key=value,key2=value2 as OperatorSettings reads GIANTVM_KVM_NODE_SELECTOR. */}}
{{- define "giantvm-operator.kvmNodeSelector" -}}
{{- $pairs := list -}}
{{- range $k, $v := .Values.kvm.nodeSelector -}}
{{- $pairs = append $pairs (printf "%s=%s" $k $v) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}
